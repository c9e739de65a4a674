package io.weft.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.runtime.support.Await;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime's own client (SnapshotPoller, InstanceRegistrar) against this server: the wire contract from both
 * ends, including the JDK client's default HTTP/2 upgrade attempt on plain http.
 */
class RuntimeClientTest {

    private static final Duration MAX = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @TempDir
    Path cache;

    @Test
    void theRuntimeFollowsSnapshotsRegistersHeartbeatsAndDeregisters() throws Exception {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        try (TestControlPlane cp = TestControlPlane.start(dir, b -> b.instanceTtl(Duration.ofSeconds(3)))) {
            try (WeftRuntime runtime = WeftRuntime.builder()
                    .controlPlane(cp.running().uri().toString(), ORDERS_TOKEN)
                    .service("orders")
                    .cacheDir(cache)
                    .pollWait(Duration.ofSeconds(5))
                    .register("10.0.0.8", 8080, Map.of("zone", "b"))
                    .build()) {
                follow(cp, runtime);
            }
            assertThat(cp.status().get("instances").asInt()).as("deregistered on close").isZero();
        }
    }

    @Test
    void anAppWhosePortIsKnownOnlyAfterStartRegistersThen() throws Exception {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        try (TestControlPlane cp = TestControlPlane.start(dir, b -> b.instanceTtl(Duration.ofSeconds(3)))) {
            try (WeftRuntime runtime = WeftRuntime.builder()
                    .controlPlane(cp.running().uri().toString(), ORDERS_TOKEN)
                    .service("orders")
                    .cacheDir(cache)
                    .build()) {
                assertThat(runtime.instanceId()).isNull();
                runtime.register("10.0.0.11", 8443, Map.of("version", "v3"));
                Await.until(MAX, "the late registration is in the snapshot",
                        () -> endpointsOfOrders(cp).contains(new EndpointConfig("10.0.0.11:8443", Map.of("version", "v3"), 1)));
                // The snapshot may show the instance a moment before the registrar has read its answer.
                Await.until(MAX, "the registrar has its id", () -> runtime.instanceId() != null);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime.register("10.0.0.12", 1, Map.of()))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registers");
            }
            assertThat(cp.status().get("instances").asInt()).as("deregistered on close").isZero();
        }
    }

    private void follow(TestControlPlane cp, WeftRuntime runtime) throws Exception {
        // Whoever sees a call routed by a new config must see its version in the status: never the one before.
        List<Long> versionsAtSwap = new CopyOnWriteArrayList<>();
        runtime.engine().onSnapshot(s -> versionsAtSwap.add(runtime.configStatus().version()));
        assertThat(runtime.awaitConfig(MAX)).isTrue();
        Await.until(MAX, "the registration is in the runtime's config",
                () -> runtime.configStatus().version() == cp.snapshot().version()
                        && cp.status().get("instances").asInt() == 1);
        assertThat(endpointsOfOrders(cp)).contains(new EndpointConfig("10.0.0.8:8080", Map.of("zone", "b"), 1));

        long changed = System.nanoTime();
        MeshFiles.writeViaRename(dir, "orders.yaml", MeshFiles.ordersWith("10.0.0.9:8080"));
        Await.until(MAX, "the runtime has the new version", () -> {
            long served = cp.snapshot().version();
            return runtime.configStatus().version() == served
                    && endpointsOfOrders(cp).stream().anyMatch(e -> e.address().equals("10.0.0.9:8080"));
        });
        assertThat(Duration.ofNanos(System.nanoTime() - changed)).isLessThan(Duration.ofSeconds(3));
        assertThat(runtime.configStatus().lastError()).isNull();
        assertThat(runtime.configStatus().source()).isEqualTo("control-plane");
        assertThat(versionsAtSwap).as("the status version seen as each config came into force")
                .hasSizeGreaterThanOrEqualTo(2).doesNotContain(0L).doesNotHaveDuplicates().isSorted()
                .endsWith(runtime.configStatus().version());

        // The registrar's heartbeat (a third of the TTL after registering) is accepted.
        Await.until(MAX, "a heartbeat arrives", () -> {
            JsonNode instance = instance(cp);
            return !instance.get("lastHeartbeat").asText().equals(instance.get("registeredAt").asText());
        });
    }

    private static JsonNode instance(TestControlPlane cp) {
        JsonNode list = TestControlPlane.json(cp.get("/v1/instances?service=orders", ORDERS_TOKEN).body());
        assertThat(list).as("instances of orders").hasSize(1);
        return list.get(0);
    }

    private static List<EndpointConfig> endpointsOfOrders(TestControlPlane cp) {
        return cp.snapshot().services().stream().filter(s -> s.service().equals("orders"))
                .map(ServiceConfig::endpoints).findFirst().orElseThrow();
    }
}
