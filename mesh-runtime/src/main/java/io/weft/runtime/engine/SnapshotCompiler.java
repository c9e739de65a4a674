package io.weft.runtime.engine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.weft.api.Endpoint;
import io.weft.api.LoadBalancerProvider;
import io.weft.runtime.config.CircuitBreakerConfig;
import io.weft.runtime.config.DestinationConfig;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.HostPort;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.config.RateLimitConfig;
import io.weft.runtime.config.RouteConfig;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.lb.LoadBalancers;
import io.weft.runtime.resilience.Breakers;
import io.weft.runtime.resilience.FaultInjector;
import io.weft.runtime.resilience.RetryBudget;
import io.weft.runtime.resilience.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Turns a validated config plus discovered endpoints into a {@link Snapshot}, reusing the state (in-flight
 * counts, ejections, breakers, budgets, rate limiters) of everything that did not change.
 */
final class SnapshotCompiler {

    private static final Logger log = LoggerFactory.getLogger(SnapshotCompiler.class);

    private final LoadBalancers balancers;
    private final ScheduledExecutorService scheduler;
    private final MeshEvents events;
    private final List<String> hostSuffixes;
    private final Map<String, ServiceState> states = new ConcurrentHashMap<>();
    private long generation;

    SnapshotCompiler(LoadBalancers balancers, ScheduledExecutorService scheduler, List<String> hostSuffixes,
                     MeshEvents events) {
        this.events = events;
        this.balancers = balancers;
        this.scheduler = scheduler;
        this.hostSuffixes = List.copyOf(hostSuffixes);
    }

    /** Not thread-safe: the engine compiles under its own lock. */
    Snapshot compile(MeshConfig config, Map<String, List<Endpoint>> discovered) {
        Map<String, ServicePlan> byHost = new HashMap<>();
        Set<String> live = new HashSet<>();
        for (ServiceConfig service : config.services()) {
            ServicePlan plan = compileService(service, discovered.getOrDefault(service.service(), List.of()));
            live.add(service.service());
            byHost.put(service.service(), plan);
            for (String suffix : hostSuffixes) {
                byHost.put(service.service() + suffix, plan);
            }
        }
        states.keySet().retainAll(live);
        return new Snapshot(++generation, config, Map.copyOf(byHost));
    }

    private ServicePlan compileService(ServiceConfig config, List<Endpoint> discovered) {
        String name = config.service();
        ServiceState state = states.computeIfAbsent(name, n -> new ServiceState(n, scheduler, events));

        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (EndpointConfig e : config.endpoints()) {
            HostPort hp = HostPort.parse(e.address());
            endpoints.put(hp.host() + ":" + hp.port(), new Endpoint(hp.host(), hp.port(), e.labels(), e.weight()));
        }
        for (Endpoint e : discovered) {
            endpoints.putIfAbsent(e.host() + ":" + e.port(), e);
        }
        List<EndpointState> members = new ArrayList<>();
        CircuitBreakerConfig breakerConfig = config.policy().circuitBreaker();
        for (Endpoint e : endpoints.values()) {
            EndpointState es = state.endpoint(e);
            es.configureBreaker(breakerConfig, c -> newBreaker(name, es, c));
            members.add(es);
        }
        state.retain(members);

        if (state.retryBudget == null || !state.retryBudget.config().equals(config.policy().retryBudget())) {
            state.retryBudget = new RetryBudget(config.policy().retryBudget());
        }
        if (state.outlierDetector == null || !state.outlierDetector.config().equals(config.policy().outlierDetection())) {
            state.outlierDetector = new OutlierDetector(config.policy().outlierDetection(), state, scheduler);
        }

        LoadBalancerProvider provider = balancers.get(config.policy().loadBalancer().type());
        Map<String, String> options = config.policy().loadBalancer().options();
        Map<String, EndpointGroup> groups = new HashMap<>();
        groups.put("", new EndpointGroup("", members, state, provider, options));
        config.subsets().forEach((subset, labels) -> {
            List<EndpointState> selected = members.stream()
                    .filter(m -> m.endpoint().labels().entrySet().containsAll(labels.entrySet()))
                    .toList();
            groups.put(subset, new EndpointGroup(subset, selected, state, provider, options));
        });

        List<CompiledRoute> routes = new ArrayList<>();
        Set<String> limiterKeys = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig r = config.routes().get(i);
            String routeName = r.name() != null ? r.name() : "route-" + i;
            names.add(routeName);
            routes.add(compileRoute(routeName, r, groups, state, limiterKeys));
        }
        String fallbackName = names.contains("default") ? "fallback" : "default";
        routes.add(compileRoute(fallbackName, RouteConfig.fallback(), groups, state, limiterKeys));
        state.rateLimiters.keySet().retainAll(limiterKeys);
        return new ServicePlan(name, config, routes.toArray(new CompiledRoute[0]), Map.copyOf(groups), state);
    }

    private CompiledRoute compileRoute(String name, RouteConfig r, Map<String, EndpointGroup> groups,
                                       ServiceState state, Set<String> limiterKeys) {
        List<EndpointGroup> destinations = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (DestinationConfig d : r.to()) {
            if (d.weight() > 0) {
                destinations.add(Objects.requireNonNull(groups.get(d.subset()), d.subset()));
                weights.add(d.weight());
            }
        }
        int[] cumulative = new int[weights.size()];
        int sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            sum += weights.get(i);
            cumulative[i] = sum;
        }
        RateLimiter limiter = null;
        if (r.rateLimit() != null) {
            String key = name + "@" + r.rateLimit().requestsPerSecond();
            limiterKeys.add(key);
            limiter = state.rateLimiters.computeIfAbsent(key, k -> newRateLimiter(state.name() + "/" + name, r.rateLimit()));
        }
        return new CompiledRoute(name, r, destinations.toArray(new EndpointGroup[0]), cumulative,
                new RetryPolicy(r.retries()), r.fault() == null ? null : new FaultInjector(r.fault()), limiter);
    }

    /** Per-second limits refill in tenths of a second so a burst cannot take a whole second's allowance at once. */
    private static RateLimiter newRateLimiter(String name, RateLimitConfig config) {
        double rps = config.requestsPerSecond();
        boolean fine = rps >= 10;
        int perPeriod = (int) Math.max(1, Math.round(fine ? rps / 10 : rps));
        Duration period = fine ? Duration.ofMillis(100) : Duration.ofNanos(Math.round(perPeriod * 1e9 / rps));
        return RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(perPeriod)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /**
     * No event subscription: with any subscriber, resilience4j builds an event object (and a timestamp) on every
     * recorded call. The engine instead looks at the state after each call it records (see EndpointState).
     */
    private static CircuitBreaker newBreaker(String service, EndpointState endpoint, CircuitBreakerConfig config) {
        return Breakers.create(service + "/" + endpoint.endpoint().address(), config);
    }
}
