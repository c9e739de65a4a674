package io.weft.runtime.security;

import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The SPIFFE ID of the other end of a TLS connection, for authorization and access logs. On a session made with
 * {@link MeshTls}, the trust manager has already verified it; on any other session it is only what the peer's
 * certificate says.
 */
public final class PeerIdentity {

    private PeerIdentity() {
    }

    /** The peer's SPIFFE ID; empty if the peer sent no certificate or its certificate carries no SPIFFE ID. */
    public static Optional<SpiffeId> of(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SvidVerifier.idOf(leaf));
        } catch (CertificateException e) {
            return Optional.empty();
        }
    }
}
