package io.weft.spring.inbound;

import io.weft.runtime.security.WorkloadIdentity;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;

/**
 * Makes Tomcat's main connector take mTLS only, with the mesh's server context: this workload's certificate,
 * renewed in place, and a client certificate of the mesh's trust domain required on every connection. Runs after
 * Boot has applied {@code server.ssl.*} to the connector, so it can refuse to start over the app's own TLS.
 */
final class TomcatMtls implements TomcatConnectorCustomizer {

    private final WorkloadIdentity identity;

    TomcatMtls(WorkloadIdentity identity) {
        this.identity = identity;
    }

    /** Adds this to a Tomcat factory; in this class so that only apps with Tomcat load Tomcat's types. */
    static void install(ConfigurableWebServerFactory factory, WorkloadIdentity identity) {
        ((ConfigurableTomcatWebServerFactory) factory).addConnectorCustomizers(new TomcatMtls(identity));
    }

    @Override
    public void customize(Connector connector) {
        if (!(connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> protocol)) {
            throw new InvalidConfigurationPropertyValueException(WeftInboundAutoConfiguration.MTLS_PROPERTY, true,
                    "Tomcat's connector protocol " + connector.getProtocolHandlerClassName() + " takes no TLS");
        }
        if (protocol.isSSLEnabled()) {
            throw new InvalidConfigurationPropertyValueException(WeftInboundAutoConfiguration.MTLS_PROPERTY, true,
                    "the server has TLS of its own (server.ssl.*): weft.inbound.mtls replaces it with the mesh's "
                            + "mTLS; remove server.ssl");
        }
        SSLHostConfig host = new SSLHostConfig();
        host.setHostName(protocol.getDefaultSSLHostConfigName());
        host.setCertificateVerification(SSLHostConfig.CertificateVerification.REQUIRED.name());
        SSLHostConfigCertificate certificate =
                new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setSslContext(new TomcatSslContext(identity.serverContext(), identity.tls()));
        // Never read (the context above is used as it is); only what Tomcat's start-up log names as the key store.
        certificate.setCertificateKeystoreFile("weft-workload-identity");
        host.addCertificate(certificate);
        // JSSE, whatever native library is around: the context above is a JSSE one.
        protocol.setSslImplementationName(JSSEImplementation.class.getName());
        protocol.setSSLEnabled(true);
        protocol.addSslHostConfig(host);
        connector.setScheme("https");
        connector.setSecure(true);
    }
}
