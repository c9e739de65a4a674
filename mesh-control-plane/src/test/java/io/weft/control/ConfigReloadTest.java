package io.weft.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.runtime.support.Await;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.control.SnapshotMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigReloadTest {

    private static final Duration MAX = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @BeforeEach
    void writeConfig() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
    }

    @Test
    void rejectsAnInvalidChangeKeepsTheLastGoodConfigAndShowsWhy() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            SnapshotMessage good = cp.snapshot();

            MeshFiles.write(dir, "orders.yaml", """
                    service: orders
                    endpoints:
                      - address: 10.0.0.1:8080
                      - address: not-an-address
                    """);
            Await.until(MAX, "the change is rejected", () -> !cp.status().get("lastRejected").isNull());

            JsonNode rejected = cp.status().get("lastRejected");
            assertThat(rejected.get("at").asText()).isNotBlank();
            assertThat(rejected.get("errors")).hasSize(1);
            assertThat(rejected.get("errors").get(0).asText())
                    .startsWith("orders.yaml:4: endpoints[1].address: ")
                    .contains("not-an-address");
            SnapshotMessage still = cp.snapshot();
            assertThat(still.version()).isEqualTo(good.version());
            assertThat(still.services()).isEqualTo(good.services());

            // Fixing the file applies it and clears the rejection.
            MeshFiles.write(dir, "orders.yaml", MeshFiles.ordersWith("10.0.0.3:8080"));
            Await.until(MAX, "the fix is applied", () -> cp.snapshot().version() > good.version());
            assertThat(cp.status().get("lastRejected").isNull()).isTrue();
        }
    }

    @Test
    void rejectsYamlThatDoesNotParseWithItsLine() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            long version = cp.snapshot().version();

            MeshFiles.write(dir, "broken.yaml", "service: payments\nendpoints: [ { address: 10.0.0.1:80 \n");
            Await.until(MAX, "the change is rejected", () -> !cp.status().get("lastRejected").isNull());

            assertThat(cp.status().get("lastRejected").get("errors").get(0).asText()).startsWith("broken.yaml:");
            assertThat(cp.snapshot().version()).isEqualTo(version);
        }
    }

    @Test
    void rejectsAChangeThatIsOnlyInvalidTogetherWithAnotherFile() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            MeshFiles.write(dir, "orders2.yaml", MeshFiles.ORDERS);
            Await.until(MAX, "the change is rejected", () -> !cp.status().get("lastRejected").isNull());

            assertThat(cp.status().get("lastRejected").get("errors").get(0).asText())
                    .startsWith("orders2.yaml:1: service: ").contains("already defined in orders.yaml");
        }
    }

    @Test
    void appliesAnEditSavedViaTempFileAndRename() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            long version = cp.snapshot().version();

            MeshFiles.writeViaRename(dir, "orders.yaml", MeshFiles.ordersWith("10.0.0.4:8080"));

            Await.until(MAX, "the edit is applied", () -> cp.snapshot().version() > version);
            assertThat(cp.snapshot().services().get(0).endpoints()).extracting(EndpointConfig::address)
                    .containsExactly("10.0.0.1:8080", "10.0.0.4:8080");
            assertThat(cp.status().get("lastRejected").isNull()).isTrue();
        }
    }

    @Test
    void followsFilesAddedAndRemoved() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            MeshFiles.write(dir, "frontend.yml", MeshFiles.FRONTEND);
            Await.until(MAX, "frontend appears", () -> cp.snapshot().services().size() == 2);

            Files.delete(dir.resolve("orders.yaml"));
            Await.until(MAX, "orders disappears", () -> cp.snapshot().services().size() == 1);
            assertThat(cp.snapshot().services()).extracting(ServiceConfig::service).containsExactly("frontend");
            assertThat(cp.status().get("services").asInt()).isEqualTo(1);
        }
    }

    @Test
    void refusesToStartOnAnInvalidConfig() {
        MeshFiles.write(dir, "orders.yaml", "service: Orders!\n");

        assertThatThrownBy(() -> TestControlPlane.start(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("orders.yaml:1: service:");
    }
}
