package io.weft.control.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.weft.control.ca.ServerCertificate;

import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * The Netty TLS context of the API, made again whenever the server certificate is renewed; every new connection
 * asks for the current one. The JDK's TLS: nothing native to install.
 */
public final class ApiTls {

    private final ServerCertificate certificate;
    private ServerCertificate.Material material;
    private SslContext context;

    public ApiTls(ServerCertificate certificate) {
        this.certificate = certificate;
    }

    /** The context for a new connection. */
    public synchronized SslContext current() {
        ServerCertificate.Material now = certificate.current();
        if (now != material) {
            try {
                context = SslContextBuilder.forServer(now.key(), now.chain().toArray(new X509Certificate[0]))
                        .sslProvider(SslProvider.JDK)
                        .protocols("TLSv1.3", "TLSv1.2")
                        .build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot make the API's TLS context", e);
            }
            material = now;
        }
        return context;
    }
}
