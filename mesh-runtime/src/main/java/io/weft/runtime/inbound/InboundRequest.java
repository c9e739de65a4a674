package io.weft.runtime.inbound;

import io.weft.runtime.security.SpiffeId;

/**
 * A request arriving at this workload, as authorization sees it.
 *
 * @param peer   the caller's verified SPIFFE ID, or null for a plaintext caller (or a TLS one without an ID)
 * @param mtls   whether it came over mutual TLS
 * @param method HTTP method; {@code POST} for gRPC
 * @param path   the request path as the caller sent it; normalized here ({@link RequestPaths}) so that rules see
 *               the path a server maps. {@code /package.Service/Method} for gRPC
 */
public record InboundRequest(SpiffeId peer, boolean mtls, String method, String path) {

    public InboundRequest {
        path = RequestPaths.normalize(path);
    }

    public static InboundRequest plaintext(String method, String path) {
        return new InboundRequest(null, false, method, path);
    }

    public static InboundRequest mtls(SpiffeId peer, String method, String path) {
        return new InboundRequest(peer, true, method, path);
    }

    /** The caller as logs name it. */
    public String caller() {
        return peer != null ? peer.toString() : mtls ? "an mTLS caller without a SPIFFE ID" : "a plaintext caller";
    }
}
