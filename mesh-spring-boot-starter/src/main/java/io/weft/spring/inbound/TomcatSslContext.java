package io.weft.spring.inbound;

import io.weft.runtime.security.MeshTls;
import io.weft.runtime.security.RotatingKeyManager;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * The mesh's server context in the shape Tomcat takes a ready-made one
 * ({@code SSLHostConfigCertificate#setSslContext}): Tomcat then builds nothing from key or trust stores and makes
 * every engine from this context, so each handshake presents the current workload certificate
 * ({@link RotatingKeyManager}) and verifies the client with the mesh's trust manager. Spring Boot's
 * {@code SslBundle} cannot carry this: its Tomcat support reads key and trust stores, fixed when the connector starts.
 */
final class TomcatSslContext implements org.apache.tomcat.util.net.SSLContext {

    private static final String[] KEY_TYPES = {"EC", "RSA"};

    private final SSLContext context;
    private final MeshTls tls;

    TomcatSslContext(SSLContext context, MeshTls tls) {
        this.context = context;
        this.tls = tls;
    }

    /** Tomcat initializes only the contexts it generates; this one is ready. */
    @Override
    public void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) {
    }

    /** Nothing to free: the context belongs to the runtime's identity, which outlives a connector restart. */
    @Override
    public void destroy() {
    }

    @Override
    public SSLSessionContext getServerSessionContext() {
        return context.getServerSessionContext();
    }

    @Override
    public SSLEngine createSSLEngine() {
        return context.createSSLEngine();
    }

    @Override
    public SSLServerSocketFactory getServerSocketFactory() {
        return context.getServerSocketFactory();
    }

    @Override
    public SSLParameters getSupportedSSLParameters() {
        return context.getSupportedSSLParameters();
    }

    /** The certificate presented now, whatever the alias (Tomcat only reports it: manager, expiry checks). */
    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        RotatingKeyManager keys = tls.keyManager();
        return keys.getCertificateChain(keys.chooseClientAlias(KEY_TYPES, null, null));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return tls.serverTrustManager().getAcceptedIssuers();
    }
}
