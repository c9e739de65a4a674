package io.weft.runtime.adapter.grpc;

import io.weft.runtime.inbound.MeshPeers;
import io.grpc.Context;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.TlsServerCredentials;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.inbound.InboundAuthorizer;
import io.weft.runtime.security.MeshTls;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.WorkloadIdentity;

/**
 * Entry points for a grpc-java server of a mesh service: mTLS with the workload's identity, and the service's
 * authorization rules on every call.
 *
 * <pre>{@code
 * Server server = Grpc.newServerBuilderForPort(8443, MeshGrpcServer.credentials(runtime.identity()))
 *         .addService(ServerInterceptors.intercept(myService, MeshGrpcServer.authorization(runtime)))
 *         .build().start();
 * // in the service: SpiffeId caller = MeshGrpcServer.PEER_IDENTITY.get();
 * }</pre>
 *
 * <h2>One port, one transport</h2>
 * A gRPC port is either TLS or plaintext. A STRICT service serves on an mTLS port ({@link #credentials}); a
 * plaintext call that reaches the interceptor anyway (a plaintext port) is closed with {@code UNAUTHENTICATED}:
 * the caller did not authenticate, which is not a matter of rules. A PERMISSIVE service in migration keeps a
 * plaintext port beside its mTLS one, and the interceptor lets plaintext calls through there (no peer: rules that
 * name callers do not match them). A DISABLE service serves plaintext.
 *
 * <h2>Denials</h2>
 * A call the rules refuse is closed with {@code PERMISSION_DENIED} and the short description
 * {@code RBAC: access denied}, before the service sees it; the reason stays in this workload's log and the
 * {@code weft.inbound.authz} meter (see {@link InboundAuthorizer}).
 */
public final class MeshGrpcServer {

    /**
     * The caller's SPIFFE ID in the service's {@link Context}, set by {@link #authorization} for a call from a
     * mesh peer (its client certificate passed the mesh's check); null for any other call.
     */
    public static final Context.Key<SpiffeId> PEER_IDENTITY = Context.key("weft.peer-identity");

    private MeshGrpcServer() {
    }

    /**
     * mTLS with this workload's certificate (renewed in place, no restart): a client must present a certificate
     * of the mesh's trust domain, or the handshake fails. Which caller may call what is {@link #authorization}'s.
     *
     * @throws IllegalStateException if {@code identity} is null
     */
    public static ServerCredentials credentials(WorkloadIdentity identity) {
        if (identity == null) {
            throw new IllegalStateException("weft: this workload has no mesh identity (no control plane, or none "
                    + "configured): no mTLS server credentials");
        }
        MeshTls tls = identity.tls();
        return TlsServerCredentials.newBuilder()
                .keyManager(tls.keyManager())
                .trustManager(tls.serverTrustManager())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build();
    }

    /** {@link #authorization(InboundAuthorizer, WorkloadIdentity)} with the runtime's own service and identity. */
    public static ServerInterceptor authorization(WeftRuntime runtime) {
        return authorization(runtime.inboundAuthorizer(), runtime.identity());
    }

    /**
     * Authorizes each call with the service's rules in force, and hands the caller's identity to the service. The
     * caller is a mesh peer only if its client certificate passes {@code identity}'s inbound check, whatever
     * credentials the server has (checked once per connection); any other caller is plaintext to the rules.
     *
     * @param identity this workload's; null when it has none, and then every caller is plaintext
     */
    public static ServerInterceptor authorization(InboundAuthorizer authorizer, WorkloadIdentity identity) {
        return new AuthorizationInterceptor(authorizer, new MeshPeers(identity));
    }
}
