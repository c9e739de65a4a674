package io.weft.control;

import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.control.SnapshotMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotApiTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeConfig() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        MeshFiles.write(dir, "frontend.yaml", MeshFiles.FRONTEND);
    }

    @Test
    void servesTheConfigWithVersionHashAndEtag() {
        long before = System.currentTimeMillis();
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            HttpResponse<String> response = cp.get("/v1/snapshot?service=frontend", FRONTEND_TOKEN);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            SnapshotMessage snapshot = TestControlPlane.read(response.body(), SnapshotMessage.class);
            assertThat(snapshot.version()).isGreaterThanOrEqualTo(before);
            assertThat(snapshot.hash()).matches("[0-9a-f]{64}");
            assertThat(response.headers().firstValue("ETag")).hasValue('"' + snapshot.hash() + '"');
            assertThat(response.headers().firstValue("X-Weft-Version")).hasValue(Long.toString(snapshot.version()));
            assertThat(snapshot.generatedAt()).isNotBlank();
            // What a runtime reads back is exactly what the files say.
            assertThat(snapshot.services()).isEqualTo(new ConfigLoader().load(dir).services());
        }
    }

    @Test
    void everyCallerGetsTheSameBytes() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            String forFrontend = cp.get("/v1/snapshot?service=frontend", FRONTEND_TOKEN).body();
            String forOrders = cp.get("/v1/snapshot?service=orders", ORDERS_TOKEN).body();

            assertThat(forOrders).isEqualTo(forFrontend);
            assertThat(TestControlPlane.read(forOrders, SnapshotMessage.class).services())
                    .extracting(ServiceConfig::service).containsExactly("frontend", "orders");
        }
    }

    @Test
    void mergesRegisteredEndpointsIntoTheSnapshot() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            long before = cp.snapshot().version();
            HttpResponse<String> registered = cp.post("/v1/instances", ORDERS_TOKEN,
                    "{\"service\":\"orders\",\"address\":\"10.0.0.2\",\"port\":8080,\"labels\":{\"version\":\"v2\"}}");
            assertThat(registered.statusCode()).isEqualTo(201);

            SnapshotMessage after = cp.snapshot();
            assertThat(after.version()).isGreaterThan(before);
            ServiceConfig orders = after.services().stream().filter(s -> s.service().equals("orders")).findFirst().orElseThrow();
            assertThat(orders.endpoints()).containsExactly(
                    new EndpointConfig("10.0.0.1:8080", Map.of("version", "v1"), 1),
                    new EndpointConfig("10.0.0.2:8080", Map.of("version", "v2"), 1));
        }
    }

    @Test
    void answersNotModifiedWithoutWaitWhenTheCallerIsCurrent() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            SnapshotMessage current = cp.snapshot();

            HttpResponse<String> response =
                    cp.get("/v1/snapshot?service=frontend&version=" + current.version(), FRONTEND_TOKEN);

            assertThat(response.statusCode()).isEqualTo(304);
            assertThat(response.body()).isEmpty();
            assertThat(response.headers().firstValue("ETag")).hasValue('"' + current.hash() + '"');
        }
    }

    @Test
    void anOlderOrUnknownVersionGetsTheSnapshotAtOnceEvenWithAWait() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            long started = System.nanoTime();
            HttpResponse<String> response = cp.get("/v1/snapshot?service=frontend&version=1&wait=30s", FRONTEND_TOKEN);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(System.nanoTime() - started).isLessThan(3_000_000_000L);
        }
    }

    @Test
    void versionsKeepGrowingAcrossRestartsAndTheHashStaysForTheSameContent() {
        SnapshotMessage first;
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            first = cp.snapshot();
        }
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            SnapshotMessage second = cp.snapshot();
            assertThat(second.version()).isGreaterThan(first.version());
            assertThat(second.hash()).isEqualTo(first.hash());
        }
    }
}
