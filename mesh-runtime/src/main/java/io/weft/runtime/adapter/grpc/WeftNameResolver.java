package io.weft.runtime.adapter.grpc;

import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancerRegistry;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.weft.runtime.engine.EndpointState;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.ServicePlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Resolves a mesh service to the endpoints of the engine's current snapshot, again on every new snapshot. The
 * addresses only let the {@code weft} policy keep subchannels ready; which endpoint an attempt goes to is the
 * engine's choice. The result also selects the {@code weft} policy through service config, so a plain
 * {@code forTarget("weft:///orders")} channel gets it.
 */
final class WeftNameResolver extends NameResolver {

    private static final Map<String, ?> SERVICE_CONFIG =
            Map.of("loadBalancingConfig", List.of(Map.of(WeftLoadBalancerProvider.POLICY, Map.of())));

    private final Supplier<MeshEngine> engine;
    private final String authority;
    private final String host;
    private final Args args;
    private final Runnable onSnapshot = this::refresh;
    private SnapshotFanout fanout;
    private Listener2 listener;
    private boolean shutdown;

    WeftNameResolver(Supplier<MeshEngine> engine, String authority, String host, Args args) {
        this.engine = engine;
        this.authority = authority;
        this.host = host;
        this.args = args;
    }

    @Override
    public String getServiceAuthority() {
        return authority;
    }

    @Override
    public void start(Listener2 listener) {
        this.listener = listener;
        resolve();
    }

    @Override
    public void refresh() {
        args.getSynchronizationContext().execute(this::resolve);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        if (fanout != null) {
            fanout.unsubscribe(onSnapshot);
        }
    }

    private void resolve() {
        if (shutdown || listener == null) {
            return;
        }
        MeshEngine e = engine.get();
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        if (e != null) {
            if (fanout == null) {
                fanout = SnapshotFanout.of(e);
                fanout.subscribe(onSnapshot);
            }
            ServicePlan plan = e.snapshot().service(host);
            if (plan != null) {
                for (EndpointState endpoint : plan.endpoints()) {
                    groups.add(WeftLoadBalancer.addressGroup(endpoint.endpoint()));
                }
            }
        }
        ResolutionResult.Builder result = ResolutionResult.newBuilder().setAddresses(groups);
        if (LoadBalancerRegistry.getDefaultRegistry().getProvider(WeftLoadBalancerProvider.POLICY) != null) {
            ConfigOrError config = args.getServiceConfigParser().parseServiceConfig(SERVICE_CONFIG);
            if (config != null && config.getError() == null) {
                result.setServiceConfig(config);
            }
        }
        Status accepted = listener.onResult2(result.build());
        if (!accepted.isOk()) {
            args.getChannelLogger().log(io.grpc.ChannelLogger.ChannelLogLevel.WARNING,
                    "weft: resolution of {0} not accepted: {1}", host, accepted);
        }
    }
}
