package io.weft.control;

import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.control.ErrorMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class AuthTest {

    private static final String ORDERS_INSTANCE =
            "{\"service\":\"orders\",\"address\":\"10.0.0.2\",\"port\":8080}";

    @TempDir
    Path dir;

    private TestControlPlane cp;

    @BeforeEach
    void start() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        cp = TestControlPlane.start(dir);
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    @Test
    void statusNeedsNoToken() {
        assertThat(cp.get("/v1/status", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aMissingTokenIs401() {
        HttpResponse<String> response = cp.get("/v1/snapshot?service=orders", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(error(response)).contains("Authorization");
        assertThat(cp.post("/v1/instances", null, ORDERS_INSTANCE).statusCode()).isEqualTo(401);
        assertThat(cp.get("/v1/instances?service=orders", null).statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownTokenIs401() {
        assertThat(cp.get("/v1/snapshot?service=orders", "orders-secret-tokeN").statusCode()).isEqualTo(401);
        assertThat(cp.get("/v1/snapshot?service=orders", "").statusCode()).isEqualTo(401);
        HttpResponse<String> basic = cp.send(cp.request("/v1/snapshot?service=orders", null)
                .header("Authorization", "Basic " + ORDERS_TOKEN).GET().build());
        assertThat(basic.statusCode()).isEqualTo(401);
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        HttpResponse<String> response = cp.send(cp.request("/v1/snapshot?service=orders", null)
                .header("Authorization", "bearer " + ORDERS_TOKEN).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void anotherServicesTokenIs403ForSnapshots() {
        HttpResponse<String> response = cp.get("/v1/snapshot?service=orders", FRONTEND_TOKEN);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(error(response)).contains("frontend").contains("orders");
    }

    @Test
    void anotherServicesTokenIs403ForTheRegistry() {
        assertThat(cp.post("/v1/instances", FRONTEND_TOKEN, ORDERS_INSTANCE).statusCode()).isEqualTo(403);
        assertThat(cp.get("/v1/instances?service=orders", FRONTEND_TOKEN).statusCode()).isEqualTo(403);

        String id = cp.register("orders", ORDERS_TOKEN, "10.0.0.2", 8080);
        assertThat(cp.put("/v1/instances/" + id + "/heartbeat", FRONTEND_TOKEN).statusCode()).isEqualTo(403);
        assertThat(cp.delete("/v1/instances/" + id, FRONTEND_TOKEN).statusCode()).isEqualTo(403);
        // ...and the owner may.
        assertThat(cp.put("/v1/instances/" + id + "/heartbeat", ORDERS_TOKEN).statusCode()).isEqualTo(204);
        assertThat(cp.get("/v1/instances?service=orders", ORDERS_TOKEN).statusCode()).isEqualTo(200);
        assertThat(cp.delete("/v1/instances/" + id, ORDERS_TOKEN).statusCode()).isEqualTo(204);
    }

    @Test
    void refusalsAreCountedInTheStatusByReasonAndApi() {
        cp.get("/v1/snapshot?service=orders", null);
        cp.get("/v1/instances?service=orders", "not-a-token");
        cp.get("/v1/snapshot?service=orders", FRONTEND_TOKEN);
        cp.post("/v1/instances", FRONTEND_TOKEN, ORDERS_INSTANCE);
        cp.get("/v1/snapshot?service=orders", ORDERS_TOKEN);

        assertThat(cp.status().get("refused").toString()).isEqualTo("{\"unauthenticated\":2,\"forbidden\":2,"
                + "\"byApi\":{\"snapshot\":{\"unauthenticated\":1,\"forbidden\":1},"
                + "\"registry\":{\"unauthenticated\":1,\"forbidden\":1},"
                + "\"certificates\":{\"unauthenticated\":0,\"forbidden\":0},"
                + "\"config\":{\"unauthenticated\":0,\"forbidden\":0}}}");
    }

    @Test
    void withoutAuthEveryoneMayDoEverything(@TempDir Path other) {
        MeshFiles.write(other, "orders.yaml", MeshFiles.ORDERS);
        try (TestControlPlane open = TestControlPlane.startWithoutAuth(other)) {
            assertThat(open.get("/v1/snapshot?service=frontend", null).statusCode()).isEqualTo(200);
            String id = open.register("payments", null, "10.0.2.1", 9000);
            assertThat(open.put("/v1/instances/" + id + "/heartbeat", "anything").statusCode()).isEqualTo(204);
        }
    }

    private static String error(HttpResponse<String> response) {
        return TestControlPlane.read(response.body(), ErrorMessage.class).error();
    }
}
