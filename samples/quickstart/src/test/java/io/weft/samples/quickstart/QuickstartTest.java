package io.weft.samples.quickstart;

import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class QuickstartTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theDemoScenarioHoldsUp() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Quickstart.Result r;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            r = new Quickstart().run(out);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(r.failures()).as("the demo's own checks").isEmpty();
        assertThat(r.passed()).isTrue();

        // 1. Round-robin spreads the catalog over both v1 backends and never sends it to v2.
        assertThat(r.loadBalancing().get("v1-a") + r.loadBalancing().get("v1-b")).isEqualTo(Quickstart.LB_CALLS);
        assertThat(r.loadBalancing().get("v1-a")).isBetween(40, 60);
        assertThat(r.loadBalancing().get("v1-b")).isBetween(40, 60);
        assertThat(r.loadBalancing().get("v2")).isZero();

        // 2. 90/10 split within tolerance, both v1 instances used; the header route goes to v2 every time.
        assertThat(r.canaryPercent()).isCloseTo(10.0, within(Quickstart.SPLIT_TOLERANCE));
        assertThat(r.split().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(Quickstart.SPLIT_CALLS);
        assertThat(r.split().get("v1-a")).isGreaterThan(300);
        assertThat(r.split().get("v1-b")).isGreaterThan(300);
        assertThat(r.headerToCanary()).isEqualTo(r.headerCalls()).isEqualTo(Quickstart.HEADER_CALLS);

        // 3. The failing backend is ejected, explained as such, skipped while out, and back after its time.
        assertThat(r.failingBackend()).isEqualTo("v1-b");
        assertThat(r.callsUntilEjected()).isBetween(1, Quickstart.MAX_CALLS_TO_EJECT);
        assertThat(r.explainNamedEjected()).isTrue();
        assertThat(r.explanation()).contains(r.failingAddress() + " unavailable: ejected by outlier detection");
        assertThat(r.failingHitsWhileEjected()).isZero();
        assertThat(r.returnedToRotation()).isTrue();
        assertThat(r.failingHitsAfterReturn()).isPositive();
        // It did fail: the mesh absorbed its 503s with retries.
        assertThat(r.errorsServedByFailingBackend()).isGreaterThanOrEqualTo(3);
        assertThat(r.retries()).isGreaterThanOrEqualTo(r.errorsServedByFailingBackend());

        // 4. The app never saw anything but 200.
        assertThat(r.non200()).isZero();
        assertThat(r.totalCalls()).isGreaterThan(Quickstart.LB_CALLS + Quickstart.SPLIT_CALLS);

        assertThat(output)
                .contains("1. Load balancing", "2. Canary release", "3. A failing backend", "4. What the app saw")
                .contains("0 non-200 responses")
                .contains("PASS");
    }

    @Test
    void theEmbeddedConfigRendersAndValidates() {
        String yaml = Quickstart.renderConfig(Map.of(
                "v1-a", "127.0.0.1:10001", "v1-b", "127.0.0.1:10002", "v2", "127.0.0.1:10003"));
        assertThat(yaml).doesNotContain("${");

        MeshConfig config = new ConfigLoader().parse(Quickstart.CONFIG_RESOURCE, yaml);
        ServiceConfig shop = config.service("shop").orElseThrow();
        assertThat(shop.endpoints()).hasSize(3);
        assertThat(shop.subsets()).containsOnlyKeys("v1", "v2");
        assertThat(shop.routes()).extracting(rc -> rc.name()).containsExactly("canary-header", "catalog", "canary-split");
        assertThat(shop.policy().loadBalancer().type()).isEqualTo("round-robin");
        assertThat(shop.policy().outlierDetection().baseEjectionTime()).isLessThanOrEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void aPlaceholderWithoutAValueIsAnError() {
        assertThatThrownBy(() -> Quickstart.renderConfig(Map.of("v1-a", "127.0.0.1:10001")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("${v1-b}");
    }
}
