package io.weft.runtime.inbound;

import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.SpiffeTrustManager;
import io.weft.runtime.security.SvidVerifier;
import io.weft.runtime.security.WorkloadIdentity;

import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Which mesh workload is at the other end of a server's TLS connection, for servers that take the peer from their
 * framework (a gRPC interceptor, a servlet filter) and cannot tell which TLS set-up accepted the connection: the app
 * may run TLS of its own. So a client certificate counts only if its chain passes the mesh's inbound check
 * ({@link WorkloadIdentity#tls()}'s server trust manager: the current trust bundle, a client certificate, a SPIFFE
 * ID of the trust domain); on a server with the mesh's own TLS the handshake did the same. Any other certificate,
 * or none, makes a plaintext caller to the mesh: a STRICT service refuses it and no {@code from} rule matches it.
 * With a session at hand the answer is kept in it, so a connection's chain is checked once, not per request.
 */
public final class MeshPeers {

    private static final String VERIFIED = "io.weft.mesh-peer";
    /** Kept for a session whose chain failed, so that it is not checked again on every call. */
    private static final Object NOT_A_PEER = new Object();

    private final SpiffeTrustManager trust;

    /** @param identity this workload's; null when it has none, and then no caller is a mesh peer */
    public MeshPeers(WorkloadIdentity identity) {
        this.trust = identity == null ? null : identity.tls().serverTrustManager();
    }

    /** The verified SPIFFE ID of the session's client; null for a plaintext call or a client that is no mesh peer. */
    public SpiffeId of(SSLSession session) {
        if (trust == null || session == null) {
            return null;
        }
        Object known = session.getValue(VERIFIED);
        if (known == null) {
            SpiffeId id = verify(session);
            known = id != null ? id : NOT_A_PEER;
            session.putValue(VERIFIED, known);
        }
        return known instanceof SpiffeId id ? id : null;
    }

    /** The verified SPIFFE ID of a client's certificate chain; null for a chain that is no mesh peer's, or none. */
    public SpiffeId verified(X509Certificate[] chain) {
        if (trust == null || chain == null || chain.length == 0) {
            return null;
        }
        try {
            return trust.verify(chain, SvidVerifier.Purpose.CLIENT_AUTH);
        } catch (CertificateException e) {
            return null;
        }
    }

    /** The request from {@code chain}'s client: mTLS with its SPIFFE ID if it is a mesh peer, else plaintext. */
    public InboundRequest describe(X509Certificate[] chain, String method, String path) {
        SpiffeId peer = verified(chain);
        return peer == null ? InboundRequest.plaintext(method, path) : InboundRequest.mtls(peer, method, path);
    }

    private SpiffeId verify(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                if (!(chain[i] instanceof X509Certificate c)) {
                    return null;
                }
                x509[i] = c;
            }
            return verified(x509);
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
