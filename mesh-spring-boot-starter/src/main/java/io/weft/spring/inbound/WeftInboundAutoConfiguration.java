package io.weft.spring.inbound;

import io.weft.runtime.WeftRuntime;
import io.weft.spring.ConditionalOnNoWeftAgent;
import io.weft.spring.WeftAutoConfiguration;
import io.weft.spring.WeftProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The inbound side of the app's own web server: authorization of every request by its service's rules (a servlet
 * filter or a WebFlux WebFilter), and with {@code weft.inbound.mtls=true} the mesh's mTLS on Tomcat.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnClass({WeftRuntime.class, WebServerFactoryCustomizer.class})
@ConditionalOnNoWeftAgent
@ConditionalOnBean(WeftRuntime.class)
@ConditionalOnWebApplication
public class WeftInboundAutoConfiguration {

    static final String MTLS_PROPERTY = "weft.inbound.mtls";

    /** Warns when the service's TLS mode and weft.inbound.mtls disagree. */
    @Bean
    @Conditional(OnServiceName.class)
    InboundModeCheck weftInboundModeCheck(WeftRuntime runtime, WeftProperties properties, Environment environment) {
        return new InboundModeCheck(WeftAutoConfiguration.serviceName(environment), properties.getInbound().isMtls(),
                runtime.engine());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnBooleanProperty(name = "weft.inbound.authorization", matchIfMissing = true)
    @Conditional(OnServiceName.class)
    static class ServletAuthorization {

        @Bean
        FilterRegistrationBean<WeftAuthorizationFilter> weftAuthorizationFilter(WeftRuntime runtime) {
            FilterRegistrationBean<WeftAuthorizationFilter> registration = new FilterRegistrationBean<>(
                    new WeftAuthorizationFilter(runtime.inboundAuthorizer(), new PeerVerifier(runtime.identity())));
            registration.setOrder(WeftAuthorizationFilter.ORDER);
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnBooleanProperty(name = "weft.inbound.authorization", matchIfMissing = true)
    @Conditional(OnServiceName.class)
    static class ReactiveAuthorization {

        @Bean
        WeftAuthorizationWebFilter weftAuthorizationWebFilter(WeftRuntime runtime) {
            return new WeftAuthorizationWebFilter(runtime.inboundAuthorizer(), new PeerVerifier(runtime.identity()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(MTLS_PROPERTY)
    static class Mtls {

        @Bean
        InboundMtlsCustomizer weftInboundMtls(WeftRuntime runtime, WeftProperties properties, Environment environment) {
            if (runtime.identity() == null) {
                throw new InvalidConfigurationPropertyValueException(MTLS_PROPERTY, true, "the app has no mesh "
                        + "identity to serve mTLS with: set weft.control-plane (its CA issues the workload "
                        + "certificate), or give one with a WeftRuntimeCustomizer calling builder.identity(...)");
            }
            if (properties.getInbound().isAuthorization() && WeftAutoConfiguration.serviceName(environment) == null) {
                throw new InvalidConfigurationPropertyValueException("weft.service", null, "weft.inbound.mtls "
                        + "needs this application's service name (weft.service or spring.application.name): its "
                        + "authorization rules say which callers may come in");
            }
            return new InboundMtlsCustomizer(runtime.identity());
        }
    }

    /** The app has a service name: weft.service, else spring.application.name. Its rules apply to the server. */
    static final class OnServiceName extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String service = WeftAutoConfiguration.serviceName(context.getEnvironment());
            return service != null ? ConditionOutcome.match("service " + service)
                    : ConditionOutcome.noMatch("no weft.service nor spring.application.name");
        }
    }
}
