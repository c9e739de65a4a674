package io.weft.sidecar.security;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.weft.runtime.inbound.InboundAuthorizer;
import io.weft.runtime.inbound.InboundDecision;
import io.weft.runtime.inbound.InboundRequest;
import io.weft.sidecar.proxy.ProxyResponse;
import io.weft.sidecar.proxy.ProxyTransport;
import io.weft.sidecar.proxy.RequestTarget;
import io.weft.sidecar.proxy.Router;

import java.util.concurrent.CompletableFuture;

/**
 * The inbound side's check of every request (HTTP/1.1 request, HTTP/2 or gRPC stream) before it reaches the app:
 * the service's authorization rules decide by the caller's verified identity, method and path; a denied request
 * gets 403 with Envoy's RBAC body (a gRPC one a trailers-only {@code PERMISSION_DENIED}, as for every local reply
 * to gRPC). An allowed one goes on with the caller's identity in {@value #PEER_HEADER}; that header is always
 * removed from what the caller sent, so the app can trust it.
 */
public final class InboundAuthorization implements Router {

    /** The caller's verified SPIFFE ID, for the app; absent for plaintext callers. */
    public static final String PEER_HEADER = "x-weft-peer-identity";

    private final InboundAuthorizer authorizer;
    private final Router app;

    /** @param authorizer the service's; null when the sidecar has no service, so no rules apply */
    public InboundAuthorization(InboundAuthorizer authorizer, Router app) {
        this.authorizer = authorizer;
        this.app = app;
    }

    @Override
    public CompletableFuture<ProxyResponse> route(HttpRequest request, Channel downstream, ProxyTransport transport) {
        InboundPeer peer = InboundPeer.of(downstream);
        request.headers().remove(PEER_HEADER);
        if (authorizer != null) {
            InboundDecision decision = authorizer.authorize(new InboundRequest(peer.id(), peer.mtls(),
                    request.method().name(), RequestTarget.path(request.uri())));
            if (!decision.allowed()) {
                return CompletableFuture.completedFuture(new ProxyResponse.Local(InboundDecision.DENIED_STATUS,
                        "rbac-access-denied", InboundDecision.DENIED_BODY));
            }
        }
        if (peer.id() != null) {
            request.headers().set(PEER_HEADER, peer.id().toString());
        }
        return app.route(request, downstream, transport);
    }
}
