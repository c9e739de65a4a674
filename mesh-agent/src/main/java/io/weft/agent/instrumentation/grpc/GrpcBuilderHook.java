package io.weft.agent.instrumentation.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import io.weft.agent.installer.GrpcChannelHook;
import io.weft.runtime.adapter.grpc.MeshClientInterceptor;
import io.weft.runtime.adapter.grpc.WeftLoadBalancerProvider;
import io.weft.runtime.adapter.grpc.WeftNameResolverProvider;
import io.weft.runtime.engine.MeshEngine;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Puts a channel whose target names a mesh service ({@code orders:50051}, {@code dns:///orders:50051},
 * {@code weft:///orders}) in the mesh: the runtime's {@link MeshClientInterceptor} as the innermost interceptor
 * (the app's own ones see each call once), the {@code weft} policy, and a resolver registry of its own in which the
 * mesh answers both the default scheme and {@code dns}. Any other channel is left exactly as it was. Loaded next to
 * the app's grpc-java, so it links to the app's copy.
 */
public final class GrpcBuilderHook implements GrpcChannelHook {

    /** What grpc-java takes for a URI target rather than an authority. */
    private static final Pattern URI_TARGET = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:/.*");

    private final Supplier<MeshEngine> engine;

    public GrpcBuilderHook(Supplier<MeshEngine> engine) {
        this.engine = engine;
        WeftLoadBalancerProvider.registerDefault();
    }

    @Override
    public Object building(Object builder, String target, List<Object> interceptors) {
        String authority = authorityOf(target);
        if (authority == null) {
            return null;
        }
        for (Object i : interceptors) {
            if (i instanceof MeshClientInterceptor) {
                return null; // in the mesh already (library mode, or a builder built twice)
            }
        }
        String host = WeftNameResolverProvider.hostOf(authority);
        MeshEngine e = engine.get(); // the first meshed build may wait for the first config, as a first call does
        if (e == null || !e.isMeshHost(host)) {
            return null;
        }
        ((ManagedChannelBuilder<?>) builder).defaultLoadBalancingPolicy(WeftLoadBalancerProvider.POLICY);
        ClientInterceptor mesh = new MeshClientInterceptor(engine, host);
        interceptors.add(0, mesh);
        NameResolverRegistry registry = new NameResolverRegistry();
        registry.register(new WeftNameResolverProvider(WeftNameResolverProvider.SCHEME, engine, 5));
        registry.register(new WeftNameResolverProvider("dns", engine, 4));
        return registry;
    }

    /** The authority a target names, or null when it is not one a mesh service could have. */
    static String authorityOf(String target) {
        if (!URI_TARGET.matcher(target).matches()) {
            return target.isEmpty() || target.contains("/") ? null : target;
        }
        try {
            URI uri = new URI(target);
            if (!"dns".equals(uri.getScheme()) && !WeftNameResolverProvider.SCHEME.equals(uri.getScheme())) {
                return null;
            }
            String path = uri.getPath();
            return path == null || path.length() < 2 ? null : path.substring(1);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
