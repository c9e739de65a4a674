package io.weft.sidecar;

import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The sidecar's admin port: the runtime's documents, with the sidecar's own readiness (draining ends it). */
class AdminPortTest {

    @TempDir
    Path dir;

    private final MockWebServer backend = new MockWebServer();
    private Sidecar sidecar;
    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        backend.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        for (int i = 0; i < 5; i++) {
            backend.enqueue(new MockResponse().setBody("ok"));
        }
        sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: 127.0.0.1:" + backend.getPort() + " } ]\n",
                b -> b.telemetry(SidecarTelemetry.NONE.withAdmin("127.0.0.1", 0).withAccessLog()));
    }

    @AfterEach
    void stop() throws IOException {
        sidecar.close();
        backend.shutdown();
    }

    private Response admin(String path) throws IOException {
        return http.newCall(new Request.Builder().url("http://127.0.0.1:" + sidecar.adminPort() + path).build()).execute();
    }

    @Test
    void readyMetricsClustersAndDrain() throws Exception {
        OkHttpClient viaSidecar = http.newBuilder().proxy(TestSidecar.proxy(sidecar)).build();
        for (int i = 0; i < 5; i++) {
            try (Response r = viaSidecar.newCall(new Request.Builder().url("http://orders/x").build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
        }
        try (Response ready = admin("/ready")) {
            assertThat(ready.code()).isEqualTo(200);
        }
        try (Response scrape = admin("/stats/prometheus")) {
            String body = scrape.body().string();
            assertThat(scrape.code()).isEqualTo(200);
            long calls = body.lines().filter(l -> l.startsWith("weft_client_requests_seconds_count{")
                            && l.contains("service=\"orders\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertThat(calls).as(body).isEqualTo(5);
        }
        try (Response clusters = admin("/clusters")) {
            assertThat(clusters.body().string()).contains("\"orders\"").contains("127.0.0.1:" + backend.getPort());
        }

        assertThat(sidecar.drain(Duration.ofSeconds(2))).isTrue();
        try (Response ready = admin("/ready")) {
            assertThat(ready.code()).as("a draining sidecar is not ready").isEqualTo(503);
        }
    }
}
