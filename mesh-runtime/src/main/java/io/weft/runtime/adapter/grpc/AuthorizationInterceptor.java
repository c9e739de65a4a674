package io.weft.runtime.adapter.grpc;

import io.weft.runtime.inbound.MeshPeers;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.weft.runtime.inbound.InboundAuthorizer;
import io.weft.runtime.inbound.InboundDecision;
import io.weft.runtime.inbound.InboundRequest;
import io.weft.runtime.security.SpiffeId;

import java.util.Objects;

/**
 * A gRPC server's inbound authorization: each call is an {@link InboundRequest} ({@code POST},
 * {@code /package.Service/Method}, the mesh peer of the connection's TLS session, see {@link MeshPeers}), decided
 * by the service's rules before the service sees it. See {@link MeshGrpcServer} for the statuses.
 */
final class AuthorizationInterceptor implements ServerInterceptor {

    /** What a refused caller reads; the reason is in this workload's log only, as with HTTP. */
    private static final Status DENIED = Status.PERMISSION_DENIED.withDescription(InboundDecision.DENIED_BODY.strip());
    private static final Status MTLS_REQUIRED =
            Status.UNAUTHENTICATED.withDescription("weft: this service takes mTLS only");

    private final InboundAuthorizer authorizer;
    private final MeshPeers peers;

    AuthorizationInterceptor(InboundAuthorizer authorizer, MeshPeers peers) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.peers = peers;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        SpiffeId peer = peers.of(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        String path = "/" + call.getMethodDescriptor().getFullMethodName();
        InboundDecision decision = authorizer.authorize(peer != null ? InboundRequest.mtls(peer, "POST", path)
                : InboundRequest.plaintext("POST", path));
        if (!decision.allowed()) {
            call.close(decision.reason() == InboundDecision.Reason.MTLS_REQUIRED ? MTLS_REQUIRED : DENIED,
                    new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        if (peer == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(MeshGrpcServer.PEER_IDENTITY, peer), call, headers,
                next);
    }
}
