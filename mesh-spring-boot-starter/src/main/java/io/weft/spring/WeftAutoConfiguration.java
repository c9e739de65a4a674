package io.weft.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.weft.api.MeshClient;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.telemetry.OpenTelemetryTracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The app's {@link WeftRuntime} (config from {@code weft.config} or a control plane, closed on shutdown), a
 * {@link MeshClient}, the app's meters and traces for every meshed call, and self-registration of the web server.
 * The clients are meshed by {@link io.weft.spring.client.WeftClientsAutoConfiguration}; Actuator support is in
 * {@link io.weft.spring.actuate.WeftActuatorAutoConfiguration}.
 */
@AutoConfiguration
@ConditionalOnClass(WeftRuntime.class)
@ConditionalOnBooleanProperty(name = "weft.enabled", matchIfMissing = true)
@ConditionalOnNoWeftAgent
@EnableConfigurationProperties(WeftProperties.class)
public class WeftAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public WeftRuntime weftRuntime(WeftProperties properties, Environment environment,
                                   ObjectProvider<WeftRuntimeCustomizer> customizers) {
        return new WeftRuntimeFactory(properties, serviceName(environment)).create(customizers.orderedStream().toList());
    }

    /** A client of the mesh's own (over OkHttp), for code that wants {@code explain} or no Spring client at all. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public MeshClient weftMeshClient(WeftRuntime runtime) {
        return runtime.client();
    }

    @Bean
    @ConditionalOnBooleanProperty("weft.register")
    @ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerInitializedEvent")
    public SelfRegistration weftSelfRegistration(WeftRuntime runtime, WeftProperties properties) {
        return new SelfRegistration(runtime, properties);
    }

    /** This app's service name: weft.service, else spring.application.name; null when neither is set. */
    public static String serviceName(Environment environment) {
        String service = environment.getProperty("weft.service");
        if (!StringUtils.hasText(service)) {
            service = environment.getProperty("spring.application.name");
        }
        return StringUtils.hasText(service) ? service : null;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = "weft.metrics.enabled", matchIfMissing = true)
    static class Metrics {

        /** Weft's meters in the app's registry (Boot's composite when there are several). */
        @Bean
        WeftRuntimeCustomizer weftMeterRegistry(ObjectProvider<MeterRegistry> registry) {
            return builder -> registry.ifAvailable(builder::meterRegistry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OpenTelemetry.class)
    @ConditionalOnBooleanProperty(name = "weft.tracing.enabled", matchIfMissing = true)
    static class Tracing {

        /** A client span per attempt, child of the app's current span, when the app has an OpenTelemetry bean. */
        @Bean
        WeftRuntimeCustomizer weftOpenTelemetryTracing(ObjectProvider<OpenTelemetry> openTelemetry) {
            return builder -> openTelemetry.ifAvailable(otel -> builder.tracer(new OpenTelemetryTracer(otel)));
        }
    }
}
