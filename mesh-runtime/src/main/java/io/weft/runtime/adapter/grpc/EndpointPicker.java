package io.weft.runtime.adapter.grpc;

import io.grpc.ConnectivityState;
import io.grpc.LoadBalancer;
import io.grpc.Status;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands each attempt the subchannel of the endpoint the engine chose for it ({@link AttemptTarget} in its call
 * options). It never chooses an endpoint for a meshed attempt: while that endpoint connects the attempt waits, and
 * when it cannot be reached the attempt fails at once with {@code UNAVAILABLE}, so the engine retries elsewhere and
 * counts the failure against that endpoint. A connect failure is believed for a short while only: after it, an
 * attempt the engine sends to that endpoint (back from ejection, say) gets a new connect attempt and waits for it. Calls without a target (made on the channel without the mesh's
 * interceptor) get a plain rotation over connected subchannels.
 */
final class EndpointPicker extends LoadBalancer.SubchannelPicker {

    private static final AtomicInteger unmeshedTurn = new AtomicInteger();

    private final WeftLoadBalancer balancer;

    EndpointPicker(WeftLoadBalancer balancer) {
        this.balancer = balancer;
    }

    @Override
    public LoadBalancer.PickResult pickSubchannel(LoadBalancer.PickSubchannelArgs args) {
        AttemptTarget target = args.getCallOptions().getOption(AttemptTarget.KEY);
        if (target == null) {
            return pickUnmeshed();
        }
        WeftLoadBalancer.EndpointSubchannel s = balancer.get(target.address());
        if (s == null || s.state.getState() == ConnectivityState.SHUTDOWN) {
            balancer.helper().getSynchronizationContext().execute(() -> balancer.ensure(target.endpoint()));
            return LoadBalancer.PickResult.withNoResult();
        }
        s.wanted = true;
        switch (s.state.getState()) {
            case READY:
                target.markHandedOut();
                return LoadBalancer.PickResult.withSubchannel(s.subchannel);
            case TRANSIENT_FAILURE:
                if (s.failedLongAgo()) {
                    balancer.helper().getSynchronizationContext().execute(() -> balancer.reconnect(s));
                    return LoadBalancer.PickResult.withNoResult();
                }
                target.markPickFailed();
                Status why = s.state.getStatus();
                return LoadBalancer.PickResult.withError(Status.UNAVAILABLE
                        .withDescription("weft: cannot connect to " + target.address() + ": " + why.getDescription())
                        .withCause(why.getCause()));
            case IDLE:
                balancer.helper().getSynchronizationContext().execute(s.subchannel::requestConnection);
                return LoadBalancer.PickResult.withNoResult();
            default:
                return LoadBalancer.PickResult.withNoResult();
        }
    }

    private LoadBalancer.PickResult pickUnmeshed() {
        java.util.List<WeftLoadBalancer.EndpointSubchannel> ready = new java.util.ArrayList<>();
        boolean any = false;
        for (WeftLoadBalancer.EndpointSubchannel s : balancer.all()) {
            any = true;
            if (s.state.getState() == ConnectivityState.READY) {
                ready.add(s);
            } else if (s.state.getState() == ConnectivityState.IDLE) {
                balancer.helper().getSynchronizationContext().execute(s.subchannel::requestConnection);
            }
        }
        if (!ready.isEmpty()) {
            return LoadBalancer.PickResult.withSubchannel(
                    ready.get(Math.floorMod(unmeshedTurn.getAndIncrement(), ready.size())).subchannel);
        }
        return any ? LoadBalancer.PickResult.withNoResult()
                : LoadBalancer.PickResult.withError(Status.UNAVAILABLE.withDescription("weft: no endpoints resolved"));
    }
}
