package io.weft.control;

import io.weft.runtime.support.Await;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.control.SnapshotMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class LongPollTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeConfig() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
    }

    @Test
    void answersSoonAfterAConfigFileChanges() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            SnapshotMessage current = cp.snapshot();
            CompletableFuture<HttpResponse<String>> poll = cp.client().sendAsync(
                    cp.request("/v1/snapshot?service=frontend&version=" + current.version() + "&wait=30s",
                            FRONTEND_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            Await.until(Duration.ofSeconds(5), "the poll is held",
                    () -> cp.status().get("waitingClients").asInt() == 1);
            assertThat(poll).isNotDone();

            long changed = System.nanoTime();
            MeshFiles.write(dir, "orders.yaml", MeshFiles.ordersWith("10.0.0.9:8080"));
            HttpResponse<String> response = poll.get(10, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - changed) / 1_000_000;

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(tookMillis).as("ms from file change to answer").isLessThan(3000);
            SnapshotMessage next = TestControlPlane.read(response.body(), SnapshotMessage.class);
            assertThat(next.version()).isGreaterThan(current.version());
            assertThat(response.headers().firstValue("X-Weft-Version")).hasValue(Long.toString(next.version()));
            assertThat(next.services().get(0).endpoints()).extracting(EndpointConfig::address).contains("10.0.0.9:8080");
            assertThat(cp.status().get("waitingClients").asInt()).isZero();
        }
    }

    @Test
    void answersNotModifiedWhenTheWaitEnds() {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            SnapshotMessage current = cp.snapshot();

            long started = System.nanoTime();
            HttpResponse<String> response = cp.get(
                    "/v1/snapshot?service=frontend&version=" + current.version() + "&wait=300ms", FRONTEND_TOKEN);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(response.statusCode()).isEqualTo(304);
            assertThat(response.body()).isEmpty();
            assertThat(response.headers().firstValue("X-Weft-Version")).hasValue(Long.toString(current.version()));
            assertThat(tookMillis).isBetween(250L, 3000L);
            // The connection is kept and works for the next poll.
            assertThat(cp.get("/v1/snapshot?service=frontend", FRONTEND_TOKEN).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void answersARegistrationToo() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            SnapshotMessage current = cp.snapshot();
            CompletableFuture<HttpResponse<String>> poll = cp.client().sendAsync(
                    cp.request("/v1/snapshot?service=frontend&version=" + current.version() + "&wait=30s",
                            FRONTEND_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            Await.until(Duration.ofSeconds(5), "the poll is held",
                    () -> cp.status().get("waitingClients").asInt() == 1);

            cp.register("orders", ORDERS_TOKEN, "10.0.0.7", 8080);

            HttpResponse<String> response = poll.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestControlPlane.read(response.body(), SnapshotMessage.class).services().get(0).endpoints())
                    .extracting(EndpointConfig::address).containsExactly("10.0.0.1:8080", "10.0.0.7:8080");
        }
    }

    @Test
    void closesAConnectionThatPipelinesBehindAHeldPoll() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            long version = cp.snapshot().version();
            try (Socket socket = new Socket("127.0.0.1", cp.running().port())) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /v1/snapshot?service=frontend&version=" + version + "&wait=60s HTTP/1.1\r\n"
                        + "Host: localhost\r\nAuthorization: Bearer " + FRONTEND_TOKEN + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Await.until(Duration.ofSeconds(5), "the poll is held",
                        () -> cp.status().get("waitingClients").asInt() == 1);

                out.write("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();

                assertThat(socket.getInputStream().readAllBytes()).isEmpty();
            }
            Await.until(Duration.ofSeconds(5), "the poll is forgotten",
                    () -> cp.status().get("waitingClients").asInt() == 0);
        }
    }

    @Test
    void forgetsAWaitingClientThatHangsUp() throws Exception {
        try (TestControlPlane cp = TestControlPlane.start(dir)) {
            long version = cp.snapshot().version();
            try (Socket socket = new Socket("127.0.0.1", cp.running().port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /v1/snapshot?service=frontend&version=" + version + "&wait=60s HTTP/1.1\r\n"
                        + "Host: localhost\r\nAuthorization: Bearer " + FRONTEND_TOKEN + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Await.until(Duration.ofSeconds(5), "the poll is held",
                        () -> cp.status().get("waitingClients").asInt() == 1);
            }
            Await.until(Duration.ofSeconds(5), "the closed poll is forgotten",
                    () -> cp.status().get("waitingClients").asInt() == 0);
        }
    }
}
