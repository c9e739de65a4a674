package io.weft.control.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.control.ControlPlane;
import io.weft.control.RunningControlPlane;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.control.SnapshotMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A control plane on 127.0.0.1 with a free port, tokens for {@code orders} and {@code frontend}, and a
 * {@link HttpClient} to call it.
 */
public final class TestControlPlane implements AutoCloseable {

    public static final String ORDERS_TOKEN = "orders-secret-token";
    public static final String FRONTEND_TOKEN = "frontend-secret-token";

    private final RunningControlPlane running;
    private final HttpClient client;

    private TestControlPlane(RunningControlPlane running) {
        this.running = running;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if ("https".equals(running.uri().getScheme())) {
            // A control plane with --tls: trust its CA, as a runtime given the trust bundle does.
            builder.sslContext(running.trustBundle().httpsClientContext());
        }
        this.client = builder.build();
    }

    public static TestControlPlane start(Path configDir) {
        return start(configDir, b -> {
        });
    }

    /** Starts with tokens; {@code customize} may change anything, such as {@code noAuth()} after clearing. */
    public static TestControlPlane start(Path configDir, Consumer<ControlPlane.Builder> customize) {
        ControlPlane.Builder builder = builder().configDir(configDir);
        customize.accept(builder);
        return start(builder);
    }

    /** On 127.0.0.1, a free port, one worker thread, tokens for orders and frontend; no store chosen yet. */
    public static ControlPlane.Builder builder() {
        return ControlPlane.builder()
                .host("127.0.0.1")
                .port(0)
                .workerThreads(1)
                .tokens(Map.of("orders", ORDERS_TOKEN, "frontend", FRONTEND_TOKEN));
    }

    public static TestControlPlane start(ControlPlane.Builder builder) {
        return new TestControlPlane(builder.build().start());
    }

    public static TestControlPlane startWithoutAuth(Path configDir) {
        return new TestControlPlane(ControlPlane.builder()
                .configDir(configDir).host("127.0.0.1").port(0).workerThreads(1).noAuth()
                .build().start());
    }

    public RunningControlPlane running() {
        return running;
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String pathAndQuery) {
        return running.uri().resolve(pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(90));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String pathAndQuery, String token) {
        return send(request(pathAndQuery, token).GET().build());
    }

    public HttpResponse<String> post(String pathAndQuery, String token, String json) {
        return send(request(pathAndQuery, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> put(String pathAndQuery, String token) {
        return send(request(pathAndQuery, token).PUT(HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpResponse<String> delete(String pathAndQuery, String token) {
        return send(request(pathAndQuery, token).DELETE().build());
    }

    /** The current snapshot as {@code frontend} sees it. */
    public SnapshotMessage snapshot() {
        HttpResponse<String> response = get("/v1/snapshot?service=frontend", FRONTEND_TOKEN);
        if (response.statusCode() != 200) {
            throw new AssertionError("snapshot: " + response.statusCode() + " " + response.body());
        }
        return read(response.body(), SnapshotMessage.class);
    }

    public JsonNode status() {
        HttpResponse<String> response = get("/v1/status", null);
        if (response.statusCode() != 200) {
            throw new AssertionError("status: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    /** Registers an instance of {@code service} with its own token and returns the id. */
    public String register(String service, String token, String address, int port) {
        HttpResponse<String> response = post("/v1/instances", token,
                "{\"service\":\"" + service + "\",\"address\":\"" + address + "\",\"port\":" + port + "}");
        if (response.statusCode() != 201) {
            throw new AssertionError("register: " + response.statusCode() + " " + response.body());
        }
        return json(response.body()).get("id").asText();
    }

    public static JsonNode json(String text) {
        try {
            return ConfigMapper.json().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String text, Class<T> type) {
        try {
            return ConfigMapper.json().readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        running.close();
    }
}
