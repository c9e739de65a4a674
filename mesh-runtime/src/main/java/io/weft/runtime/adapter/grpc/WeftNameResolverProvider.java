package io.weft.runtime.adapter.grpc;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.weft.runtime.engine.MeshEngine;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Resolves {@code weft:///orders} (or {@code weft:///orders:50051}, whose port only shapes the authority) to the
 * endpoints of the mesh service {@code orders}. The engine comes from the channel's name-resolver argument
 * {@link #ENGINE} (set by {@link MeshGrpc}), else from this provider, else from {@link MeshGrpc#defaultEngine()}.
 */
public final class WeftNameResolverProvider extends NameResolverProvider {

    public static final String SCHEME = "weft";

    /** The engine a channel resolves through. */
    public static final NameResolver.Args.Key<Supplier<MeshEngine>> ENGINE = NameResolver.Args.Key.create("weft.engine");

    private final String scheme;
    private final Supplier<MeshEngine> engine;
    private final int priority;

    /** For the service loader: scheme {@code weft}, the engine from the channel or the process default. */
    public WeftNameResolverProvider() {
        this(SCHEME, null, 4);
    }

    /**
     * A provider bound to one engine, under any scheme (the agent also answers {@code dns:///orders} for channels
     * it puts in the mesh). Lower priority than grpc's DNS resolver, so it never becomes a global default scheme.
     */
    public WeftNameResolverProvider(String scheme, Supplier<MeshEngine> engine, int priority) {
        this.scheme = scheme;
        this.engine = engine;
        this.priority = priority;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return priority;
    }

    @Override
    public String getDefaultScheme() {
        return scheme;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }

    @Override
    public NameResolver newNameResolver(URI target, NameResolver.Args args) {
        if (!scheme.equals(target.getScheme())) {
            return null;
        }
        String authority = authorityOf(target);
        if (authority == null) {
            throw new IllegalArgumentException("weft: target " + target + " names no service; write weft:///<service>");
        }
        Supplier<MeshEngine> fromChannel = args.getArg(ENGINE);
        Supplier<MeshEngine> chosen = fromChannel != null ? fromChannel : engine != null ? engine : MeshGrpc::defaultEngine;
        return new WeftNameResolver(chosen, authority, hostOf(authority), args);
    }

    /** {@code orders} or {@code orders:50051} from {@code weft:///orders[:port]} (or {@code weft://x/orders}). */
    static String authorityOf(URI target) {
        String path = target.getPath();
        if (path == null || path.length() < 2 || !path.startsWith("/")) {
            return null;
        }
        String name = path.substring(1);
        return name.isEmpty() || name.contains("/") ? null : name;
    }

    /** The host part of an authority: the mesh service's name (or an alias of it). */
    public static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(1, end);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }
}
