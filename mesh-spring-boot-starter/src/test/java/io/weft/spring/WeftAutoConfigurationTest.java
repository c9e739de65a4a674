package io.weft.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.api.MeshClient;
import io.weft.runtime.WeftRuntime;
import io.weft.spring.actuate.WeftActuatorAutoConfiguration;
import io.weft.spring.actuate.WeftHealthIndicator;
import io.weft.spring.client.WeftClientsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;

import io.weft.runtime.support.Await;
import io.weft.runtime.support.Ports;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What the auto-configuration makes for which properties, and how bad values stop start-up. Fast: no server. */
class WeftAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WeftAutoConfiguration.class, WeftClientsAutoConfiguration.class,
                    WeftActuatorAutoConfiguration.class));

    @Test
    void withNoPropertiesTheRuntimeClientCustomizersAndHealthAreThere() {
        runner.run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(WeftRuntime.class)
                    .hasSingleBean(MeshClient.class)
                    .hasSingleBean(RestClientCustomizer.class)
                    .hasSingleBean(RestTemplateCustomizer.class)
                    .hasSingleBean(WebClientCustomizer.class)
                    .hasSingleBean(WeftHealthIndicator.class)
                    .doesNotHaveBean(SelfRegistration.class);
            assertThat(context.getBean(WeftRuntime.class).engine().snapshot().config().services()).isEmpty();
        });
    }

    @Test
    void weftEnabledFalseTurnsEverythingOff() {
        runner.withPropertyValues("weft.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(WeftRuntime.class)
                .doesNotHaveBean(RestClientCustomizer.class)
                .doesNotHaveBean(WebClientCustomizer.class)
                .doesNotHaveBean(WeftHealthIndicator.class));
    }

    @Test
    void clientsCanBeLeftOutOfTheMesh() {
        runner.withPropertyValues("weft.clients.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(WeftRuntime.class)
                .doesNotHaveBean(RestClientCustomizer.class)
                .doesNotHaveBean(RestTemplateCustomizer.class)
                .doesNotHaveBean(WebClientCustomizer.class));
    }

    @Test
    void theAppsRegistryGetsTheMetersUnlessMetricsAreOff() {
        ApplicationContextRunner withRegistry = runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new);
        withRegistry.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(context.getBean(WeftRuntime.class).meterRegistry()).isSameAs(registry);
            assertThat(registry.find("weft.config.version").gauge()).isNotNull();
        });
        withRegistry.withPropertyValues("weft.metrics.enabled=false").run(context -> {
            assertThat(context.getBean(WeftRuntime.class).meterRegistry()).isNull();
            assertThat(context.getBean(MeterRegistry.class).find("weft.config.version").gauge()).isNull();
        });
    }

    @Test
    void aConfigFileIsLoadedAndAClassPathResourceToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("orders.yaml"), "service: orders\nendpoints: [ { address: 127.0.0.1:8081 } ]\n");
        runner.withPropertyValues("weft.config=" + file).run(context ->
                assertThat(context.getBean(WeftRuntime.class).engine().isMeshHost("orders")).isTrue());
        runner.withPropertyValues("weft.config=classpath:weft-test-mesh.yaml").run(context ->
                assertThat(context.getBean(WeftRuntime.class).engine().isMeshHost("payments")).isTrue());
    }

    @Test
    void hostSuffixesNameServicesToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("orders.yaml"), "service: orders\nendpoints: [ { address: 127.0.0.1:8081 } ]\n");
        runner.withPropertyValues("weft.config=" + file, "weft.host-suffixes=.svc.cluster.local").run(context ->
                assertThat(context.getBean(WeftRuntime.class).engine().isMeshHost("orders.svc.cluster.local")).isTrue());
    }

    @Test
    void theAdminPortIsOpenedWhenAsked() {
        runner.withPropertyValues("weft.admin-port=0").run(context ->
                assertThat(context.getBean(WeftRuntime.class).adminPort()).isPositive());
    }

    @Test
    void healthIsUpWithLocalConfig() {
        runner.run(context -> {
            Health health = context.getBean(WeftHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("source", "local");
        });
    }

    @Test
    void healthIsOutOfServiceWhenTheControlPlaneHasNeverAnswered(@TempDir Path cache) throws Exception {
        String unreachable = "http://127.0.0.1:" + Ports.closedPort();
        runner.withPropertyValues("weft.control-plane=" + unreachable, "weft.service=frontend",
                "weft.await-config=0s", "weft.cache-dir=" + cache).run(context -> {
            WeftRuntime runtime = context.getBean(WeftRuntime.class);
            Await.until(Duration.ofSeconds(10), "a failed poll", () -> runtime.configStatus().lastError() != null);
            Health health = context.getBean(WeftHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(health.getDetails()).containsEntry("controlPlane", unreachable).containsEntry("version", 0L);
            assertThat((String) health.getDetails().get("lastError")).contains("unreachable");
        });
    }

    // Bad values: start-up fails, and the message names the property.

    @Test
    void aControlPlaneThatIsNotHttpIsRefused() {
        assertFailsNaming("weft.control-plane", "must be an http:// or https:// URL",
                "weft.control-plane=ftp://127.0.0.1:15010", "weft.service=frontend");
    }

    @Test
    void aControlPlaneThatIsNotAUriIsRefused() {
        assertFailsNaming("weft.control-plane", "java.net.URI", "weft.control-plane=http://exa mple:15010");
    }

    @Test
    void aControlPlaneWithoutAServiceNameIsRefused() {
        assertFailsNaming("weft.service", "set weft.service (or spring.application.name)",
                "weft.control-plane=http://127.0.0.1:1", "weft.await-config=0s");
    }

    @Test
    void theApplicationNameServesAsServiceName(@TempDir Path cache) {
        runner.withPropertyValues("weft.control-plane=http://127.0.0.1:1", "weft.await-config=0s",
                "spring.application.name=frontend", "weft.cache-dir=" + cache).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(WeftRuntime.class));
    }

    @Test
    void aPollWaitOverAMinuteIsRefused() {
        assertFailsNaming("weft.poll-wait", "must be between 0s and 60s", "weft.poll-wait=90s");
    }

    @Test
    void aDurationThatIsNotOneIsRefused() {
        assertFailsNaming("weft.await-config", "java.time.Duration", "weft.await-config=soon");
    }

    @Test
    void aHostSuffixWithoutADotIsRefused() {
        assertFailsNaming("weft.host-suffixes[0]", "must start with '.'", "weft.host-suffixes=svc.cluster.local");
    }

    @Test
    void registeringNeedsAControlPlane() {
        assertFailsNaming("weft.register", "needs weft.control-plane", "weft.register=true");
    }

    @Test
    void anAdminPortOutOfRangeIsRefused() {
        assertFailsNaming("weft.admin-port", "must be between 0 and 65535", "weft.admin-port=70000");
    }

    @Test
    void aMissingConfigFileIsRefused() {
        assertFailsNaming("weft.config", "no such file or directory", "weft.config=/nonexistent/mesh.yaml");
    }

    @Test
    void anInvalidMeshConfigIsRefusedWithItsFileLineAndField(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("orders.yaml"), "service: orders\nendpoints: [ { address: 127.0.0.1:8081 } ]\n"
                + "routes: [ { name: r, to: [ { subset: v9 } ] } ]\n");
        assertFailsNaming("weft.config", "unknown subset 'v9'", "weft.config=" + file);
    }

    /** Start-up fails; the whole chain of messages names {@code property} and says {@code why}. */
    private void assertFailsNaming(String property, String why, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            String messages = messages(context);
            assertThat(messages).contains(property).contains(why);
        });
    }

    private static String messages(AssertableApplicationContext context) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
