package io.weft.spring.inbound;

import io.weft.runtime.security.WorkloadIdentity;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.util.ClassUtils;

/**
 * {@code weft.inbound.mtls=true}: the app's web server takes mTLS only, with the mesh's certificate and client
 * verification. Tomcat (servlet or reactive) is supported; any other server stops start-up rather than serve in
 * plaintext what the app asked to protect. A separate management port (management.server.port) is left as it is.
 */
public final class InboundMtlsCustomizer implements WebServerFactoryCustomizer<ConfigurableWebServerFactory> {

    private static final String TOMCAT_FACTORY = "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory";

    private final WorkloadIdentity identity;

    public InboundMtlsCustomizer(WorkloadIdentity identity) {
        this.identity = identity;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        if (!isTomcat(factory)) {
            throw new InvalidConfigurationPropertyValueException(WeftInboundAutoConfiguration.MTLS_PROPERTY, true,
                    "the mesh's mTLS is supported on Tomcat; this app's web server is made by "
                            + factory.getClass().getName());
        }
        TomcatMtls.install(factory, identity);
    }

    private static boolean isTomcat(ConfigurableWebServerFactory factory) {
        ClassLoader loader = factory.getClass().getClassLoader();
        return ClassUtils.isPresent(TOMCAT_FACTORY, loader)
                && ClassUtils.resolveClassName(TOMCAT_FACTORY, loader).isInstance(factory);
    }
}
