package io.weft.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.runtime.support.Await;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.PolicyConfig;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.control.RegistrationResponse;
import io.weft.runtime.control.SnapshotMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryApiTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeConfig() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
    }

    @Test
    void aRegisteredInstanceIsListedAndInTheSnapshot() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            HttpResponse<String> response = cp.post("/v1/instances", ORDERS_TOKEN,
                    "{\"service\":\"orders\",\"address\":\"10.0.0.2\",\"port\":8081,\"labels\":{\"zone\":\"a\"}}");

            assertThat(response.statusCode()).isEqualTo(201);
            RegistrationResponse registration = TestControlPlane.read(response.body(), RegistrationResponse.class);
            assertThat(registration.id()).isNotBlank();
            assertThat(registration.ttlSeconds()).isEqualTo(15);
            assertThat(response.headers().firstValue("Location")).hasValue("/v1/instances/" + registration.id());

            JsonNode listed = TestControlPlane.json(cp.get("/v1/instances?service=orders", ORDERS_TOKEN).body());
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("id").asText()).isEqualTo(registration.id());
            assertThat(listed.get(0).get("address").asText()).isEqualTo("10.0.0.2");
            assertThat(listed.get(0).get("port").asInt()).isEqualTo(8081);
            assertThat(listed.get(0).get("labels").get("zone").asText()).isEqualTo("a");
            assertThat(listed.get(0).get("registeredAt").asText()).isEqualTo(listed.get(0).get("lastHeartbeat").asText());
            assertThat(orders(cp.snapshot()).endpoints())
                    .contains(new EndpointConfig("10.0.0.2:8081", Map.of("zone", "a"), 1));
            assertThat(cp.status().get("instances").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aServiceWithoutYamlGetsAMinimalConfig() {
        try (TestControlPlane cp = TestControlPlane.startWithoutAuth(dir)) {
            cp.register("payments", null, "10.0.2.1", 9000);
            cp.register("payments", null, "10.0.2.0", 9000);

            ServiceConfig payments = cp.snapshot().services().stream()
                    .filter(s -> s.service().equals("payments")).findFirst().orElseThrow();
            assertThat(payments).isEqualTo(new ServiceConfig("payments", List.of(
                    new EndpointConfig("10.0.2.0:9000", Map.of(), 1),
                    new EndpointConfig("10.0.2.1:9000", Map.of(), 1)), null, null, null));
            assertThat(payments.policy()).isEqualTo(PolicyConfig.DEFAULTS);
        }
    }

    @Test
    void aStaticAddressIsNotListedTwice() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            long before = cp.snapshot().version();

            cp.register("orders", ORDERS_TOKEN, "10.0.0.1", 8080);

            SnapshotMessage after = cp.snapshot();
            assertThat(orders(after).endpoints()).containsExactly(
                    new EndpointConfig("10.0.0.1:8080", Map.of("version", "v1"), 1));
            // Nothing in the snapshot changed, so neither did the version.
            assertThat(after.version()).isEqualTo(before);
        }
    }

    @Test
    void registeringAgainKeepsTheIdAndReplacesTheLabels() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            String first = cp.register("orders", ORDERS_TOKEN, "10.0.0.2", 8080);
            HttpResponse<String> again = cp.post("/v1/instances", ORDERS_TOKEN,
                    "{\"service\":\"orders\",\"address\":\"10.0.0.2\",\"port\":8080,\"labels\":{\"version\":\"v2\"}}");

            assertThat(TestControlPlane.read(again.body(), RegistrationResponse.class).id()).isEqualTo(first);
            assertThat(orders(cp.snapshot()).endpoints()).endsWith(
                    new EndpointConfig("10.0.0.2:8080", Map.of("version", "v2"), 1));
            assertThat(cp.status().get("instances").asInt()).isEqualTo(1);
        }
    }

    @Test
    void deregisteringRemovesTheInstance() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            String id = cp.register("orders", ORDERS_TOKEN, "10.0.0.2", 8080);
            long registered = cp.snapshot().version();

            assertThat(cp.delete("/v1/instances/" + id, ORDERS_TOKEN).statusCode()).isEqualTo(204);

            SnapshotMessage after = cp.snapshot();
            assertThat(after.version()).isGreaterThan(registered);
            assertThat(orders(after).endpoints()).extracting(EndpointConfig::address).containsExactly("10.0.0.1:8080");
            assertThat(cp.get("/v1/instances?service=orders", ORDERS_TOKEN).body()).isEqualTo("[]");
            assertThat(cp.delete("/v1/instances/" + id, ORDERS_TOKEN).statusCode()).isEqualTo(404);
            assertThat(cp.put("/v1/instances/" + id + "/heartbeat", ORDERS_TOKEN).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void heartbeatsKeepAnInstanceAndTheirAbsenceExpiresIt() throws Exception {
        Duration ttl = Duration.ofMillis(500);
        try (TestControlPlane cp = TestControlPlane.start(dir, b -> b.instanceTtl(ttl))) {
            String id = cp.register("orders", ORDERS_TOKEN, "10.0.0.2", 8080);

            // Three TTLs long, with a heartbeat every 150 ms: still there.
            long until = System.nanoTime() + ttl.multipliedBy(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(cp.put("/v1/instances/" + id + "/heartbeat", ORDERS_TOKEN).statusCode()).isEqualTo(204);
                Thread.sleep(150);
            }
            assertThat(orders(cp.snapshot()).endpoints()).extracting(EndpointConfig::address).contains("10.0.0.2:8080");

            // No more heartbeats: gone within a TTL plus a sweep.
            long stopped = System.nanoTime();
            Await.until(Duration.ofSeconds(3), "the instance expires",
                    () -> cp.status().get("instances").asInt() == 0);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isGreaterThanOrEqualTo(ttl.minusMillis(200));
            assertThat(orders(cp.snapshot()).endpoints()).extracting(EndpointConfig::address)
                    .containsExactly("10.0.0.1:8080");
            assertThat(cp.put("/v1/instances/" + id + "/heartbeat", ORDERS_TOKEN).statusCode()).isEqualTo(404);
        }
    }

    private static ServiceConfig orders(SnapshotMessage snapshot) {
        return snapshot.services().stream().filter(s -> s.service().equals("orders")).findFirst().orElseThrow();
    }
}
