package io.weft.runtime.security;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An SSL context for JDK {@code HttpClient}s that only ever speak plain http (health checks, an http control
 * plane). Without one, building the client initializes the JDK's default context, which reads the whole CA store:
 * about a second on a busy 2-core machine, paid on the runtime's start-up path. This one trusts nothing, so a
 * client that is pointed at https by mistake fails its handshake instead of trusting anyone.
 */
public final class PlaintextOnly {

    private static final SSLContext CONTEXT = make();

    private PlaintextOnly() {
    }

    public static SSLContext sslContext() {
        return CONTEXT;
    }

    private static SSLContext make() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[] {new TrustsNothing()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    private static final class TrustsNothing implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this client speaks plain http only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this client speaks plain http only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
