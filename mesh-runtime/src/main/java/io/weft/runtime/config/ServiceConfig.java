package io.weft.runtime.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service of the mesh: its static endpoints, named subsets, routes (first match wins) and the traffic policy
 * for calls to it. Istio users: {@code routes} is the VirtualService, {@code subsets} and {@code policy} the
 * DestinationRule.
 */
public record ServiceConfig(String service,
                            List<EndpointConfig> endpoints,
                            Map<String, Map<String, String>> subsets,
                            List<RouteConfig> routes,
                            PolicyConfig policy,
                            List<AuthorizationRule> authorization) {

    public ServiceConfig(String service, List<EndpointConfig> endpoints, Map<String, Map<String, String>> subsets,
                         List<RouteConfig> routes, PolicyConfig policy) {
        this(service, endpoints, subsets, routes, policy, null);
    }

    public ServiceConfig {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        subsets = subsets == null ? Map.of() : copySubsets(subsets);
        routes = routes == null ? List.of() : List.copyOf(routes);
        policy = policy == null ? PolicyConfig.DEFAULTS : policy;
        authorization = authorization == null ? List.of() : List.copyOf(authorization);
    }

    private static Map<String, Map<String, String>> copySubsets(Map<String, Map<String, String>> subsets) {
        Map<String, Map<String, String>> sorted = new TreeMap<>();
        subsets.forEach((k, v) -> sorted.put(k, v == null ? Map.of() : Map.copyOf(v)));
        return java.util.Collections.unmodifiableMap(sorted);
    }
}
