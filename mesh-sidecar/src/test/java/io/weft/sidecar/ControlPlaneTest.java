package io.weft.sidecar;

import io.weft.control.ControlPlane;
import io.weft.control.RunningControlPlane;
import io.weft.runtime.support.Await;
import io.weft.runtime.support.Backends;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a real control plane: the app's sidecar registers the app (at its inbound listener) and deregisters it on
 * close; another sidecar learns of it and routes to it.
 */
class ControlPlaneTest {

    @TempDir
    Path dir;
    Backends app;
    RunningControlPlane controlPlane;
    Sidecar paymentsSidecar;
    Sidecar frontendSidecar;

    @BeforeEach
    void start() throws Exception {
        app = Backends.start(1);
        Path config = Files.createDirectories(dir.resolve("mesh"));
        Files.writeString(config.resolve("payments.yaml"), "service: payments\nsubsets: { v2: { version: v2 } }\n"
                + "routes: [ { name: v2-only, to: [ { subset: v2 } ] } ]\n");
        controlPlane = ControlPlane.builder().configDir(config).host("127.0.0.1").port(0).workerThreads(1)
                .tokens(Map.of("payments", "payments-token", "frontend", "frontend-token")).build().start();
        paymentsSidecar = sidecar("payments", "payments-token", b -> b.app("127.0.0.1", app.get(0).port()).label("version", "v2"));
        frontendSidecar = sidecar("frontend", "frontend-token", b -> b);
    }

    @AfterEach
    void stop() throws Exception {
        frontendSidecar.close();
        paymentsSidecar.close();
        controlPlane.close();
        app.close();
    }

    @Test
    void aRegisteredAppIsReachedThroughBothSidecarsAndGoneWhenItsSidecarCloses() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().proxy(TestSidecar.proxy(frontendSidecar)).build();
        Await.until(Duration.ofSeconds(20), "payments is reachable through the mesh", () -> status(client) == 200);
        try (Response r = client.newCall(new Request.Builder().url("http://payments/charge").build()).execute()) {
            assertThat(r.body().string()).isEqualTo("b0");
        }
        assertThat(app.get(0).server().takeRequest().getHeader("Host")).isEqualTo("payments");

        paymentsSidecar.close(); // deregisters

        Await.until(Duration.ofSeconds(20), "payments has no endpoint left", () -> status(client) == 503);
    }

    private Sidecar sidecar(String service, String token, java.util.function.UnaryOperator<SidecarSettings.Builder> more) throws Exception {
        return Sidecar.start(more.apply(SidecarSettings.builder()
                        .service(service)
                        .controlPlane(controlPlane.uri().toString(), token)
                        .cacheDir(dir.resolve("cache-" + service))
                        .outbound("127.0.0.1", 0)
                        .inbound("127.0.0.1", 0)
                        .workerThreads(1))
                .build());
    }

    private static int status(OkHttpClient client) {
        try (Response r = client.newCall(new Request.Builder().url("http://payments/ping").build()).execute()) {
            return r.code();
        } catch (IOException e) {
            return -1;
        }
    }
}
