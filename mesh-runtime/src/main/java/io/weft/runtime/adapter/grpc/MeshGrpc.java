package io.weft.runtime.adapter.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.weft.runtime.engine.MeshEngine;

import java.util.function.Supplier;

/**
 * Entry points for grpc-java in library mode.
 *
 * <pre>{@code
 * ManagedChannel orders = MeshGrpc.channel(runtime.engine(), "orders");            // plaintext
 * ManagedChannel own = MeshGrpc.configure(Grpc.newChannelBuilder("weft:///orders", creds), runtime.engine(), "orders")
 *         .build();
 * }</pre>
 *
 * Calls on such a channel are routed, balanced, retried and measured by the engine, with the same config as HTTP
 * calls; the method path ({@code /package.Service/Method}) is what routes match, and {@code POST} is the method.
 */
public final class MeshGrpc {

    private static volatile Supplier<MeshEngine> defaultEngine = () -> null;

    private MeshGrpc() {
    }

    /** A plaintext channel to a mesh service. */
    public static ManagedChannel channel(MeshEngine engine, String service) {
        return configure(ManagedChannelBuilder.forTarget(target(service)).usePlaintext(), engine, service).build();
    }

    /**
     * Puts a builder's channel in the mesh: the builder must be for {@link #target(String)}; this adds the
     * {@code weft} policy, the engine for the resolver, and the mesh's interceptor. Add the app's own interceptors
     * after this call, so that they run before the mesh's and see each call once.
     */
    public static ManagedChannelBuilder<?> configure(ManagedChannelBuilder<?> builder, MeshEngine engine, String service) {
        register();
        Supplier<MeshEngine> supplier = () -> engine;
        return builder.defaultLoadBalancingPolicy(WeftLoadBalancerProvider.POLICY)
                .setNameResolverArg(WeftNameResolverProvider.ENGINE, supplier)
                .intercept(new MeshClientInterceptor(supplier, service));
    }

    /** The target that names a mesh service: {@code weft:///orders}. */
    public static String target(String service) {
        return WeftNameResolverProvider.SCHEME + ":///" + service;
    }

    /** Registers the {@code weft} policy and resolver with grpc-java's default registries (idempotent). */
    public static void register() {
        WeftLoadBalancerProvider.registerDefault();
        io.grpc.NameResolverRegistry registry = io.grpc.NameResolverRegistry.getDefaultRegistry();
        synchronized (MeshGrpc.class) {
            if (registry.getProviderForScheme(WeftNameResolverProvider.SCHEME) == null) {
                registry.register(new WeftNameResolverProvider());
            }
        }
    }

    /** The engine for {@code weft:///} channels that were given none (the process's runtime). */
    public static void defaultEngine(Supplier<MeshEngine> engine) {
        defaultEngine = engine == null ? () -> null : engine;
    }

    /** The process's default engine, or null. */
    public static MeshEngine defaultEngine() {
        return defaultEngine.get();
    }
}
