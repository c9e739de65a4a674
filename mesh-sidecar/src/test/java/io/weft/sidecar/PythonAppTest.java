package io.weft.sidecar;

import io.weft.sidecar.support.PythonApp;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A python3 http.server app in the mesh: reached through its sidecar's inbound listener, and through the mesh. */
class PythonAppTest {

    @TempDir
    Path dir;
    PythonApp app;
    Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        app = PythonApp.start(dir, "payments");
        int inboundPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            inboundPort = s.getLocalPort(); // the config must name the inbound address before it is bound
        }
        sidecar = TestSidecar.start(dir, "service: payments\nendpoints:\n  - { address: 127.0.0.1:" + inboundPort + " }\n",
                b -> b.inbound("127.0.0.1", inboundPort).app("127.0.0.1", app.port()));
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        app.close();
    }

    @Test
    void aJvmClientReachesThePythonAppThroughTheInboundListener() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI base = URI.create("http://127.0.0.1:" + TestSidecar.inbound(sidecar).getPort());

        HttpResponse<String> get = client.send(HttpRequest.newBuilder(base.resolve("/orders/7")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/pay"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1000))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("payments from python: GET /orders/7 body=0 host=127.0.0.1:" + base.getPort());
        assertThat(post.body()).startsWith("payments from python: POST /pay body=1000");
    }

    @Test
    void aBodyEndedByClosingTheConnectionReachesTheClientComplete() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI base = URI.create("http://127.0.0.1:" + TestSidecar.inbound(sidecar).getPort());
        for (int i = 0; i < 3; i++) { // the client's connection is kept alive across the app's closes
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/close-delimited/" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).startsWith("payments from python: GET /close-delimited/" + i + " body=0");
        }
    }

    @Test
    void aMeshCallGoesOutboundThroughTheEngineAndInboundToTheApp() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().proxy(TestSidecar.proxy(sidecar)).build();
        try (Response r = client.newCall(new Request.Builder().url("http://payments/charge")
                .post(RequestBody.create("{\"amount\":5}", MediaType.get("application/json"))).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("payments from python: POST /charge body=12 host=payments");
        }
    }
}
