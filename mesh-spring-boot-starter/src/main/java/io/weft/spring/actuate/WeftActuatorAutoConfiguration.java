package io.weft.spring.actuate;

import io.weft.runtime.WeftRuntime;
import io.weft.spring.WeftAutoConfiguration;
import io.weft.spring.SelfRegistration;
import io.weft.spring.WeftProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code weft} Actuator endpoint and health indicator, over the starter's runtime. */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnBean(WeftRuntime.class)
public class WeftActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(WeftEndpoint.class)
        WeftEndpoint weftEndpoint(WeftRuntime runtime, ObjectProvider<SelfRegistration> registration) {
            return new WeftEndpoint(runtime, () -> {
                SelfRegistration r = registration.getIfAvailable();
                return r == null ? null : r.instanceId();
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "weftHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("weft")
        WeftHealthIndicator weftHealthIndicator(WeftRuntime runtime, WeftProperties properties) {
            return new WeftHealthIndicator(runtime, properties.getControlPlane());
        }
    }
}
