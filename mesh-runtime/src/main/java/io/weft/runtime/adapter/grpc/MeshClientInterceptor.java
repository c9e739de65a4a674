package io.weft.runtime.adapter.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.weft.runtime.engine.MeshEngine;

import java.util.function.Supplier;

/**
 * Puts the calls of a channel to one mesh service through the engine: routing on the method path and metadata,
 * fault injection, rate limits, the endpoint choice, deadlines, retries, and the bookkeeping of every attempt. It
 * must be the channel's innermost interceptor (the app's own ones then see each call once) on a channel whose
 * load-balancing policy is {@code weft}, which sends each attempt where the engine said.
 */
public final class MeshClientInterceptor implements ClientInterceptor {

    private final Supplier<MeshEngine> engine;
    private final String host;
    private final boolean plaintextChannel;

    /**
     * For a channel whose transport security is the app's own: attempts go over it as they are.
     *
     * @param engine the engine; null from the supplier means "not up yet", and calls pass through unmeshed
     * @param host   the mesh service's name (or an alias) the channel's calls go to
     */
    public MeshClientInterceptor(Supplier<MeshEngine> engine, String host) {
        this(engine, host, false);
    }

    /** @param plaintextChannel the channel is plaintext: calls that need mTLS fail closed instead of being sent */
    MeshClientInterceptor(Supplier<MeshEngine> engine, String host, boolean plaintextChannel) {
        this.engine = engine;
        this.host = host;
        this.plaintextChannel = plaintextChannel;
    }

    public String host() {
        return host;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                                                               CallOptions options, Channel next) {
        MeshEngine e = engine.get();
        if (e == null || options.getOption(AttemptTarget.KEY) != null) {
            return next.newCall(method, options);
        }
        return new MeshClientCall<>(e, host, plaintextChannel, method, options, next);
    }
}
