package io.weft.runtime.engine;

import io.weft.api.OutboundRequest;
import io.weft.runtime.config.ServiceConfig;

import java.util.List;
import java.util.Map;

/** One service as a snapshot compiled it: routes in order (a catch-all last), subsets and policy. */
public final class ServicePlan {

    final String name;
    final ServiceConfig config;
    final CompiledRoute[] routes;
    final Map<String, EndpointGroup> groups;
    final ServiceState state;
    final int maxRequests;
    /** Whether callers reach this service over mTLS (its TLS mode is PERMISSIVE or STRICT). */
    final boolean mtls;
    final io.weft.api.ServiceName serviceName;

    ServicePlan(String name, ServiceConfig config, CompiledRoute[] routes, Map<String, EndpointGroup> groups,
                ServiceState state) {
        this.name = name;
        this.config = config;
        this.routes = routes;
        this.groups = groups;
        this.state = state;
        this.maxRequests = config.policy().connectionPool().maxRequests();
        this.mtls = config.policy().tls().callersUseMtls();
        this.serviceName = io.weft.api.ServiceName.of(name);
    }

    public String name() {
        return name;
    }

    public ServiceConfig config() {
        return config;
    }

    /** Whether calls to this service go over mTLS. */
    public boolean mtls() {
        return mtls;
    }

    public ServiceState state() {
        return state;
    }

    /** Every endpoint of the service (the subset named {@code ""}). */
    public EndpointGroup allEndpoints() {
        return groups.get("");
    }

    public List<EndpointState> endpoints() {
        return allEndpoints().members();
    }

    CompiledRoute route(OutboundRequest request) {
        for (CompiledRoute r : routes) {
            if (r.matches(request)) {
                return r;
            }
        }
        return null;
    }
}
