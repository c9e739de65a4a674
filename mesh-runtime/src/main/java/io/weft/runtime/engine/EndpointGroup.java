package io.weft.runtime.engine;

import io.weft.api.LoadBalancer;
import io.weft.api.LoadBalancerProvider;
import io.weft.api.OutboundRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The endpoints of one subset of a service in one snapshot, with a balancer over those that may take traffic.
 * The balancer is rebuilt only when the service's epoch says availability changed, so a pick is a volatile read
 * and the balancer's own work.
 */
public final class EndpointGroup {

    private final String subset;
    private final List<EndpointState> members;
    private final ServiceState service;
    private final LoadBalancerProvider provider;
    private final Map<String, String> options;
    private final java.util.concurrent.atomic.AtomicReference<Selection> selection = new java.util.concurrent.atomic.AtomicReference<>();

    EndpointGroup(String subset, List<EndpointState> members, ServiceState service,
                  LoadBalancerProvider provider, Map<String, String> options) {
        this.subset = subset;
        this.members = List.copyOf(members);
        this.service = service;
        this.provider = provider;
        this.options = options;
    }

    public String subset() {
        return subset;
    }

    public List<EndpointState> members() {
        return members;
    }

    public String balancerName() {
        return provider.name();
    }

    /** Picks an available endpoint, or null when none is. */
    EndpointState pick(OutboundRequest request) {
        Selection s = current();
        return s.balancer == null ? null : (EndpointState) s.balancer.pick(request);
    }

    /**
     * Picks an available endpoint other than those in {@code avoid} if there is one (as Envoy's previous-hosts
     * retry predicate does), else any available endpoint; null when none is available.
     */
    EndpointState pickAvoiding(OutboundRequest request, List<EndpointState> avoid) {
        Selection s = current();
        if (s.balancer == null) {
            return null;
        }
        for (int i = 0; i < 3; i++) {
            EndpointState e = (EndpointState) s.balancer.pick(request);
            if (!avoid.contains(e)) {
                return e;
            }
        }
        // The balancer keeps choosing tried endpoints (a hash ring does, by design): take any other at random.
        List<EndpointState> others = new ArrayList<>(s.available.size());
        for (EndpointState e : s.available) {
            if (!avoid.contains(e)) {
                others.add(e);
            }
        }
        if (others.isEmpty()) {
            return (EndpointState) s.balancer.pick(request);
        }
        return others.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(others.size()));
    }

    /**
     * What a pick would choose now, without touching the live balancer (a round robin's turn, say): a fresh
     * balancer over the same endpoints answers. For explanations only.
     */
    EndpointState peek(OutboundRequest request) {
        Selection s = current();
        return s.balancer == null ? null : (EndpointState) provider.create(s.available, options).pick(request);
    }

    /** Available endpoints now. */
    public List<EndpointState> available() {
        return current().available;
    }

    private Selection current() {
        Selection s = selection.get();
        long epoch = service.epoch();
        if (s == null || s.epoch != epoch) {
            // Threads that race here agree on one balancer, so a round robin's turns are not split between two.
            Selection fresh = select(epoch);
            s = selection.compareAndSet(s, fresh) ? fresh : selection.get();
        }
        return s;
    }

    private Selection select(long epoch) {
        List<EndpointState> available = new ArrayList<>(members.size());
        for (EndpointState e : members) {
            if (e.isAvailable()) {
                available.add(e);
            }
        }
        LoadBalancer balancer = available.isEmpty() ? null : provider.create(available, options);
        return new Selection(epoch, List.copyOf(available), balancer);
    }

    private record Selection(long epoch, List<EndpointState> available, LoadBalancer balancer) {
    }
}
