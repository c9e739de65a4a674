package io.weft.spring.inbound;

import io.weft.runtime.inbound.InboundRequest;
import io.weft.runtime.inbound.MeshPeers;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.WorkloadIdentity;

import java.security.cert.X509Certificate;

/**
 * Who a request comes from, as authorization sees it: the runtime's {@link MeshPeers} (a client certificate counts
 * only if its chain passes the mesh's own inbound check, whatever connector or TLS set-up accepted it), with the
 * request attribute the filters publish the verified caller under.
 */
public final class PeerVerifier {

    /** The request attribute that holds the verified caller's {@link SpiffeId}; absent for other callers. */
    public static final String PEER_IDENTITY_ATTRIBUTE = "io.weft.peer-identity";

    private final MeshPeers peers;

    /** @param identity this workload's; null when it has none, and then no caller is a mesh peer */
    public PeerVerifier(WorkloadIdentity identity) {
        this.peers = new MeshPeers(identity);
    }

    /** The request: mTLS with its caller's SPIFFE ID if {@code chain} is a mesh client's, else plaintext. */
    public InboundRequest describe(X509Certificate[] chain, String method, String path) {
        return peers.describe(chain, method, path);
    }
}
