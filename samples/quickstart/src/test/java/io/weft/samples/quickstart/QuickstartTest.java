package io.weft.samples.quickstart;

import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.DestinationConfig;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.config.RouteConfig;
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
import static org.assertj.core.api.Assertions.tuple;
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

        // The app's config came from the embedded control plane, not from a file of its own.
        assertThat(r.controlPlane()).startsWith("http://127.0.0.1:");
        assertThat(r.firstConfigSource()).isEqualTo("control-plane");
        assertThat(r.firstVersion()).isPositive();

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

        // 4. The file edited while the app runs: its calls follow within the bound (typically 0.2-0.4 s)...
        Quickstart.LiveChange live = r.liveChange();
        assertThat(live).isNotNull();
        assertThat(live.millisToFollow()).isBetween(0L, Quickstart.LIVE_CHANGE_MAX_MILLIS);
        assertThat(live.versionAfter()).isGreaterThan(live.versionBefore()).isGreaterThan(r.firstVersion());
        assertThat(live.catalogToV2After()).isEqualTo(Quickstart.CATALOG_CALLS_AFTER_CHANGE);
        assertThat(live.split().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(Quickstart.LIVE_SPLIT_CALLS);
        assertThat(live.canaryPercent()).isCloseTo(Quickstart.LIVE_CANARY_PERCENT, within(Quickstart.LIVE_SPLIT_TOLERANCE));

        // ... and an invalid edit is rejected with file, line and field, while the app keeps the last good config.
        Quickstart.Rejection rejection = r.rejection();
        assertThat(rejection).isNotNull();
        assertThat(rejection.errors()).anySatisfy(e -> assertThat(e)
                .matches(Quickstart.CONFIG_FILE.replace(".", "\\.") + ":\\d+: .*")
                .contains("routes[2].to[1].subset").contains("unknown subset 'v3'"));
        assertThat(rejection.goodVersion()).isEqualTo(live.versionAfter());
        assertThat(rejection.appVersionAfter()).isEqualTo(live.versionAfter());
        assertThat(rejection.ok()).isEqualTo(rejection.calls()).isEqualTo(Quickstart.CALLS_WHILE_REJECTED);
        assertThat(rejection.clearedWhenFixed()).isTrue();
        assertThat(rejection.versionAfterFix()).as("the good file again: same content, no new version")
                .isEqualTo(live.versionAfter());

        // 5. A backend that registers itself gets its share of v2's traffic, and none once it has deregistered.
        Quickstart.Registration reg = r.registration();
        assertThat(reg).isNotNull();
        assertThat(reg.backend()).isEqualTo("v2-b");
        assertThat(reg.instanceId()).isNotBlank();
        assertThat(reg.millisToVisible()).isBetween(0L, Quickstart.REGISTRATION_MAX_MILLIS);
        assertThat(reg.versionWithIt()).isGreaterThan(live.versionAfter());
        int v2b = reg.whileRegistered().get("v2-b");
        assertThat(v2b).isPositive();
        assertThat(v2b * 3).as("about half of the v2 calls").isGreaterThanOrEqualTo(v2b + reg.whileRegistered().get("v2"));
        assertThat(reg.millisToGone()).isBetween(0L, Quickstart.REGISTRATION_MAX_MILLIS);
        assertThat(reg.versionWithout()).isGreaterThan(reg.versionWithIt());
        assertThat(reg.afterDeregistration().get("v2-b")).isZero();
        assertThat(reg.afterDeregistration().get("v2")).isPositive();
        assertThat(reg.hitsAfterDeregistration()).isZero();
        // vault's registration in step 6 is one more version.
        assertThat(r.lastVersion()).isGreaterThan(reg.versionWithout());

        // 6. The app calls vault over mTLS with a certificate from the control plane's CA; vault's rules decide.
        SecurityStep.Outcome security = r.security();
        assertThat(security.appCertificate()).startsWith(SecurityStep.APP_IDENTITY + " until ");
        assertThat(security.allowedStatus()).isEqualTo(200);
        assertThat(security.callerSeenByVault()).isEqualTo(SecurityStep.APP_IDENTITY);
        assertThat(security.deniedStatus()).isEqualTo(403);
        assertThat(security.plaintextRefused()).isTrue();
        assertThat(output).contains("6. mTLS and authorization");

        // 7. The app never saw anything but 200 from shop.
        assertThat(r.non200()).isZero();
        assertThat(r.totalCalls()).isGreaterThan(Quickstart.LB_CALLS + Quickstart.SPLIT_CALLS
                + Quickstart.LIVE_SPLIT_CALLS + 2 * Quickstart.REGISTRATION_CALLS);

        assertThat(output)
                .contains("Control plane up at " + r.controlPlane())
                .contains("applied snapshot version " + r.firstVersion())
                .contains("1. Load balancing", "2. Canary release", "3. A failing backend", "4. A live config change",
                        "5. Self-registration", "6. mTLS and authorization", "7. What the app saw")
                .contains("unknown subset 'v3'")
                .contains("0 non-200 responses")
                .contains("PASS");
    }

    @Test
    void theLiveEditValidatesAndMovesTheTraffic() {
        String yaml = Quickstart.renderConfig(Map.of(
                "v1-a", "127.0.0.1:10001", "v1-b", "127.0.0.1:10002", "v2", "127.0.0.1:10003"));
        ServiceConfig shop = new ConfigLoader().parse(Quickstart.CONFIG_FILE, Quickstart.liveEdit(yaml))
                .service("shop").orElseThrow();
        RouteConfig catalog = shop.routes().get(1);
        RouteConfig split = shop.routes().get(2);
        assertThat(catalog.name()).isEqualTo("catalog");
        assertThat(catalog.to()).extracting(DestinationConfig::subset).containsExactly("v2");
        assertThat(split.name()).isEqualTo("canary-split");
        assertThat(split.to()).extracting(DestinationConfig::subset, DestinationConfig::weight)
                .containsExactly(tuple("v1", 50), tuple("v2", 50));
    }

    @Test
    void theInvalidEditFailsValidationNamingLineAndField() {
        String yaml = Quickstart.liveEdit(Quickstart.renderConfig(Map.of(
                "v1-a", "127.0.0.1:10001", "v1-b", "127.0.0.1:10002", "v2", "127.0.0.1:10003")));
        assertThatThrownBy(() -> new ConfigLoader().parse(Quickstart.CONFIG_FILE, Quickstart.invalidEdit(yaml)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .singleElement()
                        .satisfies(err -> {
                            assertThat(err.source()).isEqualTo(Quickstart.CONFIG_FILE);
                            assertThat(err.line()).isPositive();
                            assertThat(err.path()).isEqualTo("routes[2].to[1].subset");
                            assertThat(err.message()).contains("unknown subset 'v3'");
                        }));
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
