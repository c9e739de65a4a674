package io.weft.control.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.control.support.EtcdReplicas;
import io.weft.control.support.EtcdServer;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** etcd stops and comes back: replicas serve the last state read-only, say so, and recover. */
class EtcdOutageTest {

    private static final Duration MAX = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void replicasServeTheLastStateReadOnlyWhileEtcdIsDownAndRecoverWhenItIsBack() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"));
             EtcdReplicas replicas = EtcdReplicas.start(etcd, 2, b -> b.instanceTtl(Duration.ofSeconds(3)))) {
            replicas.apply(0, "orders", MeshFiles.ORDERS);
            String id = replicas.get(0).register("orders", ORDERS_TOKEN, "10.0.0.5", 8080);
            Await.until(MAX, "both replicas serve the instance",
                    () -> replicas.get(1).status().get("instances").asInt() == 1);
            long version = replicas.get(0).snapshot().version();
            assertThat(store(replicas.get(0)).get("available").asBoolean()).isTrue();

            try (WeftRuntime runtime = WeftRuntime.builder().controlPlane(replicas.urls(), FRONTEND_TOKEN)
                    .service("frontend").cacheDir(dir.resolve("cache")).pollWait(Duration.ofSeconds(2)).build()) {
                assertThat(runtime.awaitConfig(MAX)).isTrue();
                Await.until(MAX, "the runtime is current", () -> runtime.configStatus().version() == version);

                etcd.stop();
                for (int i = 0; i < 2; i++) {
                    TestControlPlane replica = replicas.get(i);
                    Await.until(MAX, "replica " + i + " says etcd is down",
                            () -> !store(replica).get("available").asBoolean());
                    JsonNode store = store(replica);
                    assertThat(store.get("readOnly").asBoolean()).isTrue();
                    assertThat(store.get("unavailableSince").asText()).isNotBlank();
                    assertThat(store.get("lastError").asText()).isNotBlank();
                    assertThat(replica.snapshot().version()).as("the last state is still served").isEqualTo(version);
                    HttpResponse<String> held = replica.get("/v1/snapshot?service=frontend&version=" + version
                            + "&wait=200ms", FRONTEND_TOKEN);
                    assertThat(held.statusCode()).as("long polls still work").isEqualTo(304);
                }
                HttpResponse<String> register = replicas.get(1).post("/v1/instances", ORDERS_TOKEN,
                        "{\"service\":\"orders\",\"address\":\"10.0.0.6\",\"port\":8080}");
                assertThat(register.statusCode()).isEqualTo(503);
                assertThat(register.body()).contains("read-only");
                assertThat(register.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(EtcdReplicas.putConfig(replicas.get(0), "orders", MeshFiles.ORDERS, "0").statusCode())
                        .isEqualTo(503);
                assertThat(runtime.configStatus().version()).as("the runtime keeps its config").isEqualTo(version);

                etcd.restart();
                for (int i = 0; i < 2; i++) {
                    TestControlPlane replica = replicas.get(i);
                    Await.until(MAX, "replica " + i + " says etcd is back",
                            () -> store(replica).get("available").asBoolean());
                    assertThat(store(replica).get("readOnly").asBoolean()).isFalse();
                }
                // etcd gives every lease its full TTL again after a restart: heartbeats carry on.
                assertThat(replicas.get(1).put("/v1/instances/" + id + "/heartbeat", ORDERS_TOKEN).statusCode())
                        .isEqualTo(204);

                long next = replicas.apply(1, "orders", MeshFiles.ordersWith("10.0.0.9:8080"));
                Await.until(MAX, "replica 0 watches etcd again",
                        () -> replicas.get(0).snapshot().version() == next);
                Await.until(MAX, "the runtime follows", () -> runtime.configStatus().version() == next);
            }
        }
    }

    private static JsonNode store(TestControlPlane replica) {
        return replica.status().get("store");
    }
}
