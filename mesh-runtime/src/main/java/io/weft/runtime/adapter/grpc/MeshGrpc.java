package io.weft.runtime.adapter.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.weft.api.ServiceName;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.ServicePlan;
import io.weft.runtime.security.WorkloadIdentity;

import java.util.function.Supplier;

/**
 * Entry points for grpc-java in library mode.
 *
 * <pre>{@code
 * ManagedChannel orders = MeshGrpc.channel(runtime, "orders");      // mTLS if orders takes it, else plaintext
 * ManagedChannel own = MeshGrpc.configure(
 *         Grpc.newChannelBuilder("weft:///orders", MeshGrpc.credentials(runtime.engine(), runtime.identity(), "orders")),
 *         runtime.engine(), "orders").build();
 * }</pre>
 *
 * Calls on such a channel are routed, balanced, retried and measured by the engine, with the same config as HTTP
 * calls; the method path ({@code /package.Service/Method}) is what routes match, and {@code POST} is the method.
 *
 * <h2>mTLS is decided when the channel is built</h2>
 * A gRPC channel is TLS or plaintext for its whole life, so {@link #credentials} reads the service's TLS mode
 * from the engine's snapshot once: if callers use mTLS to it (PERMISSIVE or STRICT), the channel presents this
 * workload's certificate (renewed in place) and accepts only a server proving the service's SPIFFE ID; else it is
 * plaintext. Build channels after the config is in ({@link WeftRuntime#awaitConfig}), and again when a service's
 * TLS mode changes between DISABLE and the others. Weft never falls back to plaintext: with no identity, building
 * a channel to a service that takes mTLS fails; a channel built plaintext whose service takes mTLS since answers
 * its calls {@code UNAVAILABLE} ({@code x-weft-local-reply: mtls-unavailable}) without sending them; while the
 * workload has no valid certificate the engine refuses the calls the same way. With {@link #configure} and the
 * app's own credentials the mesh cannot see them, and sends what the app chose.
 *
 * <h2>Host names</h2>
 * The channel's authority stays the service name ({@code orders}): it is the {@code :authority} servers see and
 * the TLS SNI. grpc-netty asks the TLS engine for {@code HTTPS} endpoint identification against it, and (with
 * {@code GRPC_ENABLE_PER_RPC_AUTHORITY_CHECK}) checks a per-call {@code CallOptions.withAuthority} through the trust
 * manager; the mesh's trust manager, an {@code X509ExtendedTrustManager}, ignores both and checks the SPIFFE ID,
 * so no {@code overrideAuthority} is needed. Tested with grpc-netty-shaded (grpc-netty takes the same path);
 * grpc-okhttp checks host names with its own verifier, which a workload certificate never passes, so its mTLS
 * channels are refused (closed, not open). Each channel has its own TLS session cache, so a session resumed for
 * one destination never serves another.
 */
public final class MeshGrpc {

    private static volatile Supplier<MeshEngine> defaultEngine = () -> null;

    private MeshGrpc() {
    }

    /** A channel to a mesh service with the runtime's identity: mTLS if the service takes it (see above). */
    public static ManagedChannel channel(WeftRuntime runtime, String service) {
        return channel(runtime.engine(), runtime.identity(), service);
    }

    /** A plaintext channel to a mesh service; fails for a service that takes mTLS (there is no identity). */
    public static ManagedChannel channel(MeshEngine engine, String service) {
        return channel(engine, null, service);
    }

    /**
     * A channel to a mesh service: mTLS with {@code identity} if the service takes it now, else plaintext.
     *
     * @throws IllegalStateException if the service takes mTLS and {@code identity} is null
     */
    public static ManagedChannel channel(MeshEngine engine, WorkloadIdentity identity, String service) {
        ChannelCredentials credentials = credentials(engine, identity, service);
        boolean plaintext = credentials instanceof InsecureChannelCredentials;
        return configure(Grpc.newChannelBuilder(target(service), credentials), engine, service, plaintext).build();
    }

    /**
     * The credentials of a channel to {@code service} as its TLS mode is now: TLS presenting {@code identity}'s
     * certificate and verifying the service's SPIFFE ID, or plaintext for a service that takes no mTLS (or is not
     * in the mesh).
     *
     * @throws IllegalStateException if the service takes mTLS and {@code identity} is null
     */
    public static ChannelCredentials credentials(MeshEngine engine, WorkloadIdentity identity, String service) {
        ServicePlan plan = engine.snapshot().service(service);
        if (plan == null || !plan.mtls()) {
            return InsecureChannelCredentials.create();
        }
        if (identity == null) {
            throw new IllegalStateException("weft: " + plan.name() + " takes mTLS (policy.tls.mode "
                    + plan.config().policy().tls().mode() + ") and this workload has no mesh identity (no control "
                    + "plane, or none configured): no channel was built; Weft never falls back to plaintext");
        }
        return TlsChannelCredentials.newBuilder()
                .keyManager(identity.tls().keyManager())
                .trustManager(new DestinationTrustManager(identity, ServiceName.of(plan.name())))
                .build();
    }

    /**
     * Puts a builder's channel in the mesh: the builder must be for {@link #target(String)}; this adds the
     * {@code weft} policy, the engine for the resolver, and the mesh's interceptor. The builder's credentials are
     * the app's, taken as they are: use {@link #credentials} for the mesh's mTLS. Add the app's own interceptors
     * after this call, so that they run before the mesh's and see each call once.
     */
    public static ManagedChannelBuilder<?> configure(ManagedChannelBuilder<?> builder, MeshEngine engine, String service) {
        return configure(builder, engine, service, false);
    }

    /** @param plaintext the builder is known to be plaintext: calls that need mTLS then fail instead of leaving */
    static ManagedChannelBuilder<?> configure(ManagedChannelBuilder<?> builder, MeshEngine engine, String service,
                                              boolean plaintext) {
        register();
        Supplier<MeshEngine> supplier = () -> engine;
        return builder.defaultLoadBalancingPolicy(WeftLoadBalancerProvider.POLICY)
                .setNameResolverArg(WeftNameResolverProvider.ENGINE, supplier)
                .intercept(new MeshClientInterceptor(supplier, service, plaintext));
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
