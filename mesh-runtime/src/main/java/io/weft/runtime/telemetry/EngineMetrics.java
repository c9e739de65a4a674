package io.weft.runtime.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.weft.api.Endpoint;
import io.weft.runtime.engine.EndpointState;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.MeshEvents;
import io.weft.runtime.engine.ServicePlan;
import io.weft.runtime.engine.Snapshot;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data plane's state, as meters: gauges {@code weft.client.requests.active} (calls in flight per service) and
 * {@code weft.client.endpoints} (per service and state: available, ejected, unhealthy, breaker_open), re-listed
 * with every config snapshot; counters {@code weft.client.breaker.transitions} (by the state entered),
 * {@code weft.client.ejections} and {@code weft.client.retry.budget.exhausted}. Endpoint tags come from the
 * config's endpoints, so cardinality is that of the mesh, not of the traffic.
 */
public final class EngineMetrics implements MeterBinder, MeshEvents {

    static final List<String> ENDPOINT_STATES = List.of("available", "ejected", "unhealthy", "breaker_open");

    private final MeshEngine engine;
    private MeterRegistry registry;
    private MultiGauge active;
    private MultiGauge endpoints;

    public EngineMetrics(MeshEngine engine) {
        this.engine = engine;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        active = MultiGauge.builder("weft.client.requests.active")
                .description("Calls in flight through the mesh, per destination service")
                .register(registry);
        endpoints = MultiGauge.builder("weft.client.endpoints")
                .description("Endpoints of each service by state: available, ejected, unhealthy, breaker_open")
                .register(registry);
        engine.onSnapshot(this::list);
        list(engine.snapshot());
        engine.addEvents(this);
    }

    private synchronized void list(Snapshot snapshot) {
        // byHost holds each plan under every host alias; one row set per service.
        Map<ServicePlan, Boolean> plans = new IdentityHashMap<>();
        snapshot.byHost().values().forEach(p -> plans.put(p, Boolean.TRUE));
        List<MultiGauge.Row<?>> activeRows = new ArrayList<>();
        List<MultiGauge.Row<?>> endpointRows = new ArrayList<>();
        for (ServicePlan plan : plans.keySet()) {
            activeRows.add(MultiGauge.Row.of(Tags.of("service", plan.name()), plan, p -> p.state().inFlight()));
            for (String state : ENDPOINT_STATES) {
                endpointRows.add(MultiGauge.Row.of(Tags.of("service", plan.name(), "state", state), plan,
                        p -> count(p, state)));
            }
        }
        active.register(activeRows, true);
        endpoints.register(endpointRows, true);
    }

    private static double count(ServicePlan plan, String state) {
        int n = 0;
        for (EndpointState e : plan.endpoints()) {
            if (e.availability().equals(state)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void breakerTransition(String service, Endpoint endpoint, String from, String to) {
        Counter.builder("weft.client.breaker.transitions")
                .description("Circuit breaker state changes, by the state entered")
                .tags("service", service, "endpoint", endpoint.address(), "state", to)
                .register(registry).increment();
    }

    @Override
    public void ejected(String service, Endpoint endpoint, long forMillis) {
        Counter.builder("weft.client.ejections")
                .description("Endpoints taken out of rotation by outlier detection")
                .tags("service", service, "endpoint", endpoint.address())
                .register(registry).increment();
    }

    @Override
    public void retryBudgetExhausted(String service, String route) {
        Counter.builder("weft.client.retry.budget.exhausted")
                .description("Retries not made because the service's retry budget was spent")
                .tags("service", service, "route", route)
                .register(registry).increment();
    }
}
