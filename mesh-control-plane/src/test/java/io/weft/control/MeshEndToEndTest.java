package io.weft.control;

import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.support.Await;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.telemetry.ConfigMetrics;
import io.weft.runtime.support.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real control plane, real backends and a meshed client on 127.0.0.1: config changes arrive live, and the data
 * plane fails static when the control plane goes away.
 */
class MeshEndToEndTest {

    private static final Duration MAX = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private Backends backends;
    private TestControlPlane cp;
    private String cpUrl;

    @BeforeEach
    void start() throws Exception {
        backends = Backends.start(3);
        MeshFiles.write(dir, "orders.yaml", orders("v1"));
        cp = TestControlPlane.start(dir, b -> b.instanceTtl(Duration.ofSeconds(1)));
        cpUrl = cp.running().uri().toString();
    }

    @AfterEach
    void stop() throws Exception {
        if (cp != null) cp.close();
        backends.close();
    }

    /** orders: b0, b1 are v1, b2 is v2; every call goes to {@code subset}. */
    private String orders(String subset) {
        return "service: orders\nendpoints:\n"
                + "  - { address: " + backends.get(0).address() + ", labels: { version: v1 } }\n"
                + "  - { address: " + backends.get(1).address() + ", labels: { version: v1 } }\n"
                + "  - { address: " + backends.get(2).address() + ", labels: { version: v2 } }\n"
                + "subsets: { v1: { version: v1 }, v2: { version: v2 } }\n"
                + "routes: [ { name: main, to: [ { subset: " + subset + " } ] } ]\n";
    }

    private WeftRuntime frontend() throws InterruptedException {
        WeftRuntime runtime = WeftRuntime.builder()
                .controlPlane(cpUrl, FRONTEND_TOKEN)
                .service("frontend")
                .cacheDir(cache)
                .pollWait(Duration.ofSeconds(5))
                .build();
        assertThat(runtime.awaitConfig(MAX)).as("first config arrives").isTrue();
        return runtime;
    }

    private static String call(MeshClient client) throws Exception {
        MeshResponse r = client.execute(MeshRequest.get("http://orders/api").build());
        assertThat(r.status()).isEqualTo(200);
        return r.bodyAsString();
    }

    @Test
    void aRouteChangeInAYamlFileReachesCallsWithinASecondOrSo() throws Exception {
        try (WeftRuntime runtime = frontend(); MeshClient client = runtime.client()) {
            for (int i = 0; i < 10; i++) {
                assertThat(call(client)).isIn("b0", "b1");
            }
            long changed = System.nanoTime();
            MeshFiles.writeViaRename(dir, "orders.yaml", orders("v2"));
            Await.until(MAX, "calls go to v2", () -> {
                try {
                    return call(client).equals("b2");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Duration took = Duration.ofNanos(System.nanoTime() - changed);
            assertThat(took).as("long poll, not a periodic fetch").isLessThan(Duration.ofSeconds(3));
            for (int i = 0; i < 10; i++) {
                assertThat(call(client)).isEqualTo("b2");
            }
        }
    }

    @Test
    void callsKeepWorkingWhenTheControlPlaneStops() throws Exception {
        try (WeftRuntime runtime = frontend(); MeshClient client = runtime.client()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ConfigMetrics(runtime).bindTo(registry);
            long version = runtime.configStatus().version();
            assertThat(registry.get("weft.config.version").gauge().value()).isEqualTo((double) version);
            assertThat(registry.get("weft.config.connected").gauge().value()).isEqualTo(1.0);
            cp.close();
            cp = null;
            Await.until(MAX, "the runtime notices", () -> runtime.configStatus().lastError() != null);
            assertThat(registry.get("weft.config.connected").gauge().value()).isZero();
            assertThat(registry.get("weft.config.poll.failures").functionCounter().count()).isPositive();
            assertThat(registry.get("weft.config.age").gauge().value()).isGreaterThanOrEqualTo(0.0);
            for (int i = 0; i < 50; i++) {
                assertThat(call(client)).isIn("b0", "b1");
            }
            assertThat(runtime.configStatus().version()).isEqualTo(version);
            assertThat(runtime.configStatus().source()).isEqualTo("control-plane");
            assertThat(runtime.configStatus().lastError()).contains("unreachable");
        }
    }

    @Test
    void aRestartWithTheControlPlaneDownStartsFromTheDiskCache() throws Exception {
        long version;
        try (WeftRuntime runtime = frontend()) {
            version = runtime.configStatus().version();
        }
        cp.close();
        cp = null;
        try (WeftRuntime restarted = frontend(); MeshClient client = restarted.client()) {
            assertThat(restarted.configStatus().source()).isEqualTo("disk-cache");
            assertThat(restarted.configStatus().version()).isEqualTo(version);
            for (int i = 0; i < 20; i++) {
                assertThat(call(client)).isIn("b0", "b1");
            }
        }
    }

    @Test
    void anInvalidChangeIsRejectedAndTheOldConfigStays() throws Exception {
        try (WeftRuntime runtime = frontend(); MeshClient client = runtime.client()) {
            long version = runtime.configStatus().version();
            MeshFiles.writeViaRename(dir, "orders.yaml", orders("v3"));
            Await.until(MAX, "the control plane rejects it", () -> !cp.status().get("lastRejected").isNull());
            assertThat(cp.status().get("lastRejected").toString())
                    .contains("orders.yaml").contains("routes[0].to[0].subset").contains("unknown subset 'v3'");
            for (int i = 0; i < 10; i++) {
                assertThat(call(client)).isIn("b0", "b1");
            }
            assertThat(runtime.configStatus().version()).isEqualTo(version);
        }
    }

    @Test
    void aRegisteredInstanceGetsTrafficUntilItStopsHeartbeating() throws Exception {
        MeshFiles.write(dir, "orders.yaml", "service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n"
                + "policy: { loadBalancer: round-robin }\n");
        try (WeftRuntime runtime = frontend(); MeshClient client = runtime.client()) {
            // An instance that registers and then never heartbeats (a crashed process).
            HttpResponse<String> registered = cp.client().send(HttpRequest.newBuilder(
                            URI.create(cp.running().uri() + "/v1/instances"))
                    .header("Authorization", "Bearer " + ORDERS_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"orders\",\"address\":\"127.0.0.1\",\"port\":"
                            + backends.get(1).port() + "}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).isEqualTo(201);
            Await.until(MAX, "b1 gets calls", () -> {
                try {
                    return call(client).equals("b1");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Await.until(MAX, "the instance expires", () -> cp.status().get("instances").asInt() == 0);
            Await.until(MAX, "the runtime has the snapshot without it",
                    () -> runtime.configStatus().version() == cp.snapshot().version());
            backends.resetCounts();
            for (int i = 0; i < 20; i++) {
                assertThat(call(client)).isEqualTo("b0");
            }
            assertThat(backends.get(1).count()).isZero();
        }
    }

    @Test
    void aWrongTokenIsReportedAndNoConfigIsApplied() throws Exception {
        try (WeftRuntime runtime = WeftRuntime.builder()
                .controlPlane(cp.running().uri().toString(), ORDERS_TOKEN)
                .service("frontend")
                .cacheDir(cache)
                .build()) {
            Await.until(MAX, "the refusal is reported", () -> runtime.configStatus().lastError() != null);
            assertThat(runtime.configStatus().lastError()).contains("403");
            assertThat(runtime.configStatus().version()).isZero();
            assertThat(runtime.engine().isMeshHost("orders")).isFalse();
        }
    }
}
