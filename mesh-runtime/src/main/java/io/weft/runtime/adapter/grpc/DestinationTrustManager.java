package io.weft.runtime.adapter.grpc;

import io.weft.api.ServiceName;
import io.weft.runtime.security.SpiffeTrustManager;
import io.weft.runtime.security.UpstreamTls;
import io.weft.runtime.security.WorkloadIdentity;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of an mTLS channel to one mesh service: the server must prove the identity the engine's
 * attempts to that service are told to expect ({@link WorkloadIdentity#upstream}), looked up at each handshake.
 * So a channel made before the workload's first certificate, or kept across a change of trust domain, checks what
 * the engine checks, and while there is no valid certificate every server is refused. Host names play no part:
 * grpc-java asks for {@code HTTPS} endpoint identification on the engine, and the mesh's trust managers, being
 * {@link X509ExtendedTrustManager}s, ignore it.
 */
final class DestinationTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final WorkloadIdentity identity;
    private final ServiceName service;

    DestinationTrustManager(WorkloadIdentity identity, ServiceName service) {
        this.identity = identity;
        this.service = service;
    }

    private SpiffeTrustManager current() throws CertificateException {
        UpstreamTls upstream = identity.upstream(service);
        if (upstream == null) {
            throw new CertificateException("weft: no mTLS to " + service + ": " + identity.unavailableReason());
        }
        return upstream.trustManager();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        current().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        current().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        refuseClient();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        refuseClient();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        refuseClient();
    }

    /** Only a channel uses this trust manager: it never has a client to check. */
    private static void refuseClient() throws CertificateException {
        throw new CertificateException("weft: a channel's trust manager checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        UpstreamTls upstream = identity.upstream(service);
        return upstream == null ? NONE : upstream.trustManager().getAcceptedIssuers();
    }
}
