package io.weft.runtime.adapter.grpc;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;

/**
 * The {@code weft} load-balancing policy. It decides nothing: the engine chose each attempt's endpoint, and the
 * policy only hands out that endpoint's subchannel. Registered through {@code META-INF/services} and by
 * {@link #registerDefault()} for class loaders that the service loader does not search.
 */
public final class WeftLoadBalancerProvider extends LoadBalancerProvider {

    public static final String POLICY = "weft";

    /** Puts the policy in grpc-java's default registry (where channels look policies up) unless it is there. */
    public static void registerDefault() {
        LoadBalancerRegistry registry = LoadBalancerRegistry.getDefaultRegistry();
        synchronized (WeftLoadBalancerProvider.class) {
            if (registry.getProvider(POLICY) == null) {
                registry.register(new WeftLoadBalancerProvider());
            }
        }
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int getPriority() {
        return 5;
    }

    @Override
    public String getPolicyName() {
        return POLICY;
    }

    @Override
    public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
        return new WeftLoadBalancer(helper);
    }
}
