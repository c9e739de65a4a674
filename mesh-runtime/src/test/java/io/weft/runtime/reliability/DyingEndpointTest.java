package io.weft.runtime.reliability;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The case behind the load test's duplicate check, made certain: an endpoint reads a POST that came over a pooled
 * connection and dies before answering. OkHttp retries on a new connection to the same address and is refused; that
 * refusal must not make the mesh think the POST never left and run it again on another endpoint.
 */
class DyingEndpointTest {

    @Test
    void aPostTheDyingEndpointReadIsNotRunAgainElsewhere() throws Exception {
        try (MeshedScene scene = MeshedScene.start(2).mesh("policy: { loadBalancer: round-robin }\n")) {
            for (int i = 0; i < 4; i++) {
                try (Response r = scene.client().newCall(new Request.Builder().url("http://orders/warm").build()).execute()) {
                    assertThat(r.code()).as("warm-up call, leaving a pooled connection to each endpoint").isEqualTo(200);
                }
            }
            ControlledBackend dying = scene.backend(0);
            dying.dieOnNextRequest();
            // Round robin: one of the next two POSTs reaches the dying endpoint.
            for (int i = 0; i < 2 && dying.receipts().stream().noneMatch(r -> "POST".equals(r.method())); i++) {
                String id = "post-" + i;
                IOException seen = null;
                try (Response r = scene.client().newCall(post(id)).execute()) {
                    r.body().string();
                } catch (IOException e) {
                    seen = e;
                }
                List<ControlledBackend.Receipt> runs = new Executions(scene.backends()).receipts(id);
                assertThat(runs).as("executions of %s", id).hasSize(1);
                if (dying.receipts().contains(runs.get(0))) {
                    assertThat(seen).as("the app learns that the POST the dying endpoint read has no answer").isNotNull();
                }
            }
            assertThat(dying.receipts()).as("a POST reached the dying endpoint").anyMatch(r -> "POST".equals(r.method()));
        }
    }

    @Test
    void aRefusedConnectionOnAFreshConnectionIsStillRetried() throws Exception {
        try (MeshedScene scene = MeshedScene.start(2).mesh("policy: { loadBalancer: round-robin }\n")) {
            scene.backend(0).kill();
            for (int i = 0; i < 4; i++) {
                try (Response r = scene.client().newCall(post("fresh-" + i)).execute()) {
                    assertThat(r.body().string()).as("a POST that never left is retried on the live endpoint").isEqualTo("b1");
                }
            }
        }
    }

    @Test
    void okHttpDoesNotSendAPostAgainOnItsOwnAfterTheConnectionDropped() throws Exception {
        try (MeshedScene scene = MeshedScene.start(1).mesh("")) {
            ControlledBackend backend = scene.backend(0);
            warm(scene);
            backend.dropConnectionOnNextRequest();
            assertThatThrownBy(() -> scene.client().newCall(post("dropped")).execute().close())
                    .as("the app learns the POST may have run").isInstanceOf(IOException.class);
            assertThat(new Executions(scene.backends()).receipts("dropped")).as("executions of the POST").hasSize(1);
        }
    }

    @Test
    void okHttpStillSendsAGetAgainOnAnotherConnectionAfterTheConnectionDropped() throws Exception {
        try (MeshedScene scene = MeshedScene.start(1).mesh("")) {
            ControlledBackend backend = scene.backend(0);
            warm(scene);
            backend.dropConnectionOnNextRequest();
            try (Response r = scene.client().newCall(new Request.Builder().url("http://orders/again")
                    .header("x-request-id", "get-dropped").build()).execute()) {
                assertThat(r.code()).as("an idempotent request OkHttp recovered by itself").isEqualTo(200);
            }
            assertThat(new Executions(scene.backends()).receipts("get-dropped")).as("executions of the GET").hasSize(2);
        }
    }

    private static void warm(MeshedScene scene) throws IOException {
        try (Response r = scene.client().newCall(new Request.Builder().url("http://orders/warm").build()).execute()) {
            assertThat(r.code()).as("warm-up call, leaving a pooled connection").isEqualTo(200);
        }
    }

    private static Request post(String id) {
        return new Request.Builder().url("http://orders/pay").header("x-request-id", id)
                .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
    }
}
