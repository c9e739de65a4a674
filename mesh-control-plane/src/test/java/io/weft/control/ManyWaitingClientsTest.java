package io.weft.control;

import io.weft.runtime.support.Await;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.control.SnapshotMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** Long polls cost no thread: one event-loop thread holds hundreds, and one change answers them all. */
class ManyWaitingClientsTest {

    private static final int CLIENTS = 500;

    @TempDir
    Path dir;

    @Test
    void oneWorkerThreadHoldsFiveHundredPollsAndOneChangeAnswersThemAll() throws Exception {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        try (TestControlPlane cp = TestControlPlane.start(dir, b -> b.workerThreads(1))) {
            long version = cp.snapshot().version();
            // One client, many connections: HTTP/1.1 opens one per outstanding request.
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(clientThreads)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest poll = HttpRequest.newBuilder(
                            cp.uri("/v1/snapshot?service=frontend&version=" + version + "&wait=60s"))
                    .header("Authorization", "Bearer " + FRONTEND_TOKEN)
                    .timeout(Duration.ofSeconds(90))
                    .build();

            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                answers.add(client.sendAsync(poll, HttpResponse.BodyHandlers.ofString()));
            }
            Await.until(Duration.ofSeconds(30), CLIENTS + " polls are held",
                    () -> cp.status().get("waitingClients").asInt() == CLIENTS);
            assertThat(answers).noneMatch(CompletableFuture::isDone);

            long changed = System.nanoTime();
            MeshFiles.writeViaRename(dir, "orders.yaml", MeshFiles.ordersWith("10.0.0.9:8080"));
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - changed) / 1_000_000;

            SnapshotMessage changedTo = cp.snapshot();
            assertThat(changedTo.version()).isGreaterThan(version);
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.join();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(TestControlPlane.read(response.body(), SnapshotMessage.class)).isEqualTo(changedTo);
            }
            assertThat(tookMillis).as("ms from the change until all %d answers", CLIENTS).isLessThan(10_000);
            assertThat(cp.status().get("waitingClients").asInt()).isZero();
        } finally {
            clientThreads.shutdownNow();
        }
    }
}
