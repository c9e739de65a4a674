package io.weft.runtime.engine;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.weft.api.Endpoint;
import io.weft.runtime.resilience.RetryBudget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one destination service that outlives config snapshots: its endpoints' states, requests in
 * flight, the retry budget and rate limiters. Snapshots reference it; a new snapshot reuses what is unchanged.
 */
public final class ServiceState {

    private final String name;
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    final Map<String, EndpointState> endpoints = new ConcurrentHashMap<>();
    final Map<String, RateLimiter> rateLimiters = new ConcurrentHashMap<>();
    private volatile int endpointCount;
    private int ejectedCount;
    volatile RetryBudget retryBudget;
    volatile OutlierDetector outlierDetector;

    private final java.util.concurrent.ScheduledExecutorService scheduler;
    private final MeshEvents events;

    ServiceState(String name, java.util.concurrent.ScheduledExecutorService scheduler, MeshEvents events) {
        this.name = name;
        this.scheduler = scheduler;
        this.events = events;
    }

    MeshEvents events() {
        return events;
    }

    /** The states of this service's endpoints now in the config or discovery. */
    public java.util.Collection<EndpointState> endpointStates() {
        return java.util.Collections.unmodifiableCollection(endpoints.values());
    }

    java.util.concurrent.ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public String name() {
        return name;
    }

    /** Changes whenever an endpoint's availability may have changed. */
    long epoch() {
        return epoch.get();
    }

    void bumpEpoch() {
        epoch.incrementAndGet();
    }

    /** The state of this endpoint, kept from earlier snapshots unless its labels or weight changed. */
    EndpointState endpoint(Endpoint endpoint) {
        return endpoints.compute(endpoint.address(), (a, old) ->
                old != null && old.endpoint().equals(endpoint) ? old : new EndpointState(endpoint, this));
    }

    /** Whether this state is still the one in use for its address. */
    boolean isLive(EndpointState endpoint) {
        return endpoints.get(endpoint.endpoint().address()) == endpoint;
    }

    /** Forgets endpoints that are no longer in the config or discovery. */
    synchronized void retain(java.util.Collection<EndpointState> live) {
        java.util.Set<EndpointState> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        keep.addAll(live);
        endpoints.values().removeIf(e -> !keep.contains(e));
        int ejected = 0;
        for (EndpointState e : live) {
            if (e.ejected) {
                ejected++;
            }
        }
        ejectedCount = ejected;
        endpointCount = live.size();
        bumpEpoch();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Counts a call in, unless that would exceed {@code max}. */
    boolean tryEnter(int max) {
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit() {
        inFlight.decrementAndGet();
    }

    int endpointCount() {
        return endpointCount;
    }

    /** Guarded by {@code synchronized (this)}. */
    int ejectedCount() {
        return ejectedCount;
    }

    /** Guarded by {@code synchronized (this)}. */
    void ejectedCountChanged(int delta) {
        ejectedCount += delta;
    }
}
