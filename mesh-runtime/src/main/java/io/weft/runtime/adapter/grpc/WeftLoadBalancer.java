package io.weft.runtime.adapter.grpc;

import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;
import io.weft.api.Endpoint;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one subchannel per endpoint address (the resolved ones, and any the engine picks before the resolver has
 * caught up) and publishes an {@link EndpointPicker} over them. Connections open lazily, on the first attempt to an
 * endpoint. All methods but the picker's reads run in the channel's synchronization context.
 */
final class WeftLoadBalancer extends LoadBalancer {

    /** The endpoint address ({@link Endpoint#address()}) an address group stands for. */
    static final Attributes.Key<String> ENDPOINT_ADDRESS = Attributes.Key.create("weft.endpoint-address");

    private final Helper helper;
    private final Map<String, EndpointSubchannel> subchannels = new ConcurrentHashMap<>();
    private boolean shutdown;

    WeftLoadBalancer(Helper helper) {
        this.helper = helper;
    }

    @Override
    public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
        Set<String> current = new HashSet<>();
        for (EquivalentAddressGroup group : resolved.getAddresses()) {
            String address = group.getAttributes().get(ENDPOINT_ADDRESS);
            if (address == null) {
                address = group.getAddresses().get(0).toString();
            }
            current.add(address);
            subchannels.computeIfAbsent(address, a -> create(a, group));
        }
        subchannels.entrySet().removeIf(e -> {
            if (current.contains(e.getKey())) {
                return false;
            }
            e.getValue().subchannel.shutdown();
            return true;
        });
        publish();
        return Status.OK;
    }

    @Override
    public boolean canHandleEmptyAddressListFromNameResolution() {
        return true;
    }

    @Override
    public void handleNameResolutionError(Status error) {
        // The engine keeps choosing from its last good snapshot; the subchannels stay.
        publish();
    }

    @Override
    public void requestConnection() {
        subchannels.values().forEach(s -> s.subchannel.requestConnection());
    }

    @Override
    public void shutdown() {
        shutdown = true;
        subchannels.values().forEach(s -> s.subchannel.shutdown());
        subchannels.clear();
    }

    EndpointSubchannel get(String address) {
        return subchannels.get(address);
    }

    Iterable<EndpointSubchannel> all() {
        return subchannels.values();
    }

    Helper helper() {
        return helper;
    }

    /**
     * Puts a new subchannel, connecting now, in the place of one whose connect failure has gone stale. grpc-java's
     * subchannel tries again only when its backoff ends (1 s growing to 2 min), and resets that backoff only for a
     * whole channel: an endpoint that came back would be failed for as long, and ejected again for it, while the
     * engine already wants it. HTTP clients connect when asked; this makes the gRPC path do the same.
     */
    void reconnect(EndpointSubchannel stale) {
        if (shutdown || subchannels.get(stale.address) != stale || stale.state.getState() != ConnectivityState.TRANSIENT_FAILURE) {
            return; // already replaced, or its state moved on
        }
        EndpointSubchannel fresh = create(stale.address, stale.group);
        fresh.wanted = true;
        subchannels.put(stale.address, fresh);
        stale.subchannel.shutdown();
        fresh.subchannel.requestConnection();
        publish();
    }

    /** Makes a subchannel for an endpoint the engine chose that the resolver has not named (yet). */
    void ensure(Endpoint endpoint) {
        if (!shutdown && !subchannels.containsKey(endpoint.address())) {
            subchannels.put(endpoint.address(), create(endpoint.address(), addressGroup(endpoint)));
            publish();
        }
    }

    static EquivalentAddressGroup addressGroup(Endpoint endpoint) {
        return new EquivalentAddressGroup(new InetSocketAddress(endpoint.host(), endpoint.port()),
                Attributes.newBuilder().set(ENDPOINT_ADDRESS, endpoint.address()).build());
    }

    private EndpointSubchannel create(String address, EquivalentAddressGroup group) {
        Subchannel subchannel = helper.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(group).build());
        EndpointSubchannel entry = new EndpointSubchannel(address, group, subchannel);
        subchannel.start(state -> {
            entry.stateSince = System.nanoTime(); // first: a picker that sees the new state sees its time
            entry.state = state;
            if (state.getState() == ConnectivityState.IDLE && entry.wanted) {
                // A connection that went away (server restart, idle): reconnect for the attempts still wanting it.
                subchannel.requestConnection();
            }
            publish();
        });
        return entry;
    }

    /** Publishes a fresh picker, so that attempts waiting for a connection are picked again. */
    private void publish() {
        if (shutdown) {
            return;
        }
        helper.updateBalancingState(aggregate(), new EndpointPicker(this));
    }

    private ConnectivityState aggregate() {
        boolean connecting = false;
        boolean any = false;
        for (EndpointSubchannel s : subchannels.values()) {
            any = true;
            ConnectivityState st = s.state.getState();
            if (st == ConnectivityState.READY) {
                return ConnectivityState.READY;
            }
            connecting |= st == ConnectivityState.CONNECTING || st == ConnectivityState.IDLE;
        }
        return any && !connecting ? ConnectivityState.TRANSIENT_FAILURE : ConnectivityState.CONNECTING;
    }

    /** A subchannel and its last known state. */
    static final class EndpointSubchannel {
        /** How long a connect failure is believed: attempts in that time fail at once rather than each dialing. */
        static final long FAILURE_BELIEVED_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

        final String address;
        final EquivalentAddressGroup group;
        final Subchannel subchannel;
        volatile ConnectivityStateInfo state = ConnectivityStateInfo.forNonError(ConnectivityState.IDLE);
        volatile long stateSince = System.nanoTime();
        /** Set once an attempt asked for this endpoint: from then on its connection is kept up. */
        volatile boolean wanted;

        EndpointSubchannel(String address, EquivalentAddressGroup group, Subchannel subchannel) {
            this.address = address;
            this.group = group;
            this.subchannel = subchannel;
        }

        /** In connect failure for longer than it is believed. */
        boolean failedLongAgo() {
            return state.getState() == ConnectivityState.TRANSIENT_FAILURE
                    && System.nanoTime() - stateSince > FAILURE_BELIEVED_NANOS;
        }
    }
}
