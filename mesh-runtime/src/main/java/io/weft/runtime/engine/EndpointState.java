package io.weft.runtime.engine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.weft.api.Endpoint;
import io.weft.api.LoadBalancer;
import io.weft.runtime.config.CircuitBreakerConfig;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this process knows of one endpoint of a service, kept across config changes: requests in flight,
 * health-check result, outlier ejection and breaker. Availability changes bump the service's epoch so
 * balancers over stale endpoint sets are rebuilt.
 */
public final class EndpointState implements LoadBalancer.Candidate {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EndpointState.class);

    private final Endpoint endpoint;
    private final ServiceState service;
    private final AtomicInteger active = new AtomicInteger();

    // Outlier detection, guarded by the OutlierDetector.
    final AtomicInteger consecutiveFailures = new AtomicInteger();
    volatile long ejectedUntilNanos;
    volatile boolean ejected;
    int ejections;
    long lastReturnNanos;

    // Active health checks.
    private volatile boolean healthy = true;
    private int healthStreak;

    private volatile CircuitBreaker breaker;
    private CircuitBreakerConfig breakerConfig;
    /** The breaker state last seen by the engine; a change bumps the epoch. */
    private volatile CircuitBreaker.State seenBreakerState = CircuitBreaker.State.CLOSED;

    EndpointState(Endpoint endpoint, ServiceState service) {
        this.endpoint = endpoint;
        this.service = service;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public int activeRequests() {
        return active.get();
    }

    void begin() {
        active.incrementAndGet();
    }

    void end() {
        active.decrementAndGet();
    }

    public boolean isAvailable() {
        return unavailableReason() == null;
    }

    /** Why this endpoint may not take traffic now, or null when it may. */
    public String unavailableReason() {
        if (ejected) {
            long left = (ejectedUntilNanos - System.nanoTime()) / 1_000_000;
            return "ejected by outlier detection (ejection #" + ejections + ", " + Math.max(0, left) + " ms left)";
        }
        if (!healthy) {
            return "failing active health checks";
        }
        CircuitBreaker b = breaker;
        if (b != null && (b.getState() == CircuitBreaker.State.OPEN || b.getState() == CircuitBreaker.State.FORCED_OPEN)) {
            return "circuit breaker open";
        }
        return null;
    }

    /** One word for {@link #unavailableReason()}: available, ejected, unhealthy or breaker_open. */
    public String availability() {
        String reason = unavailableReason();
        if (reason == null) {
            return "available";
        }
        return ejected ? "ejected" : !healthy ? "unhealthy" : "breaker_open";
    }

    public boolean isHealthy() {
        return healthy;
    }

    public boolean isEjected() {
        return ejected;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Gives this endpoint a breaker of that config (null: none), keeping the current one if it matches. */
    synchronized void configureBreaker(CircuitBreakerConfig config, java.util.function.Function<CircuitBreakerConfig, CircuitBreaker> factory) {
        if (java.util.Objects.equals(config, breakerConfig)) {
            return;
        }
        breakerConfig = config;
        breaker = config == null ? null : factory.apply(config);
        seenBreakerState = CircuitBreaker.State.CLOSED;
        service.bumpEpoch();
    }

    /**
     * Notices a breaker transition after a call was recorded (or a timer moved it): availability changes with it,
     * and an open breaker is moved to half-open after its open time, on the runtime's scheduler.
     */
    void checkBreaker(CircuitBreaker b) {
        CircuitBreaker.State now = b.getState();
        if (now == seenBreakerState) {
            return;
        }
        CircuitBreaker.State from;
        synchronized (this) {
            if (now == seenBreakerState || b != breaker) {
                return;
            }
            from = seenBreakerState;
            seenBreakerState = now;
        }
        log.info("{}: circuit breaker of {} is now {}", service.name(), endpoint.address(), now);
        service.events().breakerTransition(service.name(), endpoint, stateName(from), stateName(now));
        service.bumpEpoch();
        if (now == CircuitBreaker.State.OPEN) {
            long openFor = breakerConfig == null ? 0 : breakerConfig.openFor().toNanos();
            service.scheduler().schedule(() -> {
                if (b.getState() == CircuitBreaker.State.OPEN) {
                    b.transitionToHalfOpenState();
                }
                checkBreaker(b);
            }, openFor, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** The breaker's state as the engine acts on it, in lower case ({@code closed}, {@code open}, {@code half_open}). */
    public String breakerState() {
        return breaker == null ? "none" : stateName(seenBreakerState);
    }

    private static String stateName(CircuitBreaker.State s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Records one health-check result; flips health after enough results in a row. */
    public synchronized void recordHealthCheck(boolean passed, int unhealthyThreshold, int healthyThreshold) {
        if (passed == healthy) {
            healthStreak = 0;
            return;
        }
        healthStreak++;
        if (healthStreak >= (passed ? healthyThreshold : unhealthyThreshold)) {
            healthy = passed;
            healthStreak = 0;
            service.bumpEpoch();
        }
    }

    ServiceState service() {
        return service;
    }

    @Override
    public String toString() {
        return endpoint.address();
    }
}
