package io.weft.runtime.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a control plane: a real HTTP server on 127.0.0.1 that answers {@code GET /v1/snapshot} as the test says. A
 * snapshot (with 304 to a caller that already has its version, after a short hold, as a long poll would), an error
 * status, garbage, headers then a body that trickles, or nothing at all. Whatever it is doing, a close ends it.
 */
final class FakeControlPlane implements AutoCloseable {

    /** How the next polls are answered. */
    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange, long callerVersion) throws IOException, InterruptedException;
    }

    /** The longest any answer is held, so that a forgotten silent mode cannot hang a build. */
    private static final long MAX_HOLD_MILLIS = 60_000;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-control-plane");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger polls = new AtomicInteger();
    private volatile Answer answer;
    private volatile boolean closed;

    private FakeControlPlane(HttpServer server) {
        this.server = server;
    }

    static FakeControlPlane start() throws IOException {
        FakeControlPlane cp = new FakeControlPlane(HttpServer.create(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
        cp.server.setExecutor(cp.threads);
        cp.server.createContext("/v1/snapshot", cp::handle);
        cp.answer = status(503, "not ready");
        cp.server.start();
        return cp;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int polls() {
        return polls.get();
    }

    void answer(Answer a) {
        this.answer = a;
    }

    /** The snapshot of {@code version} with these services (JSON array items); 304 to a caller that has it. */
    static Answer snapshot(long version, String servicesJson) {
        String body = "{\"version\":" + version + ",\"hash\":\"h" + version + "\",\"generatedAt\":\"2025-01-01T00:00:00Z\","
                + "\"services\":[" + servicesJson + "]}";
        return (exchange, callerVersion) -> {
            if (callerVersion == version) {
                Thread.sleep(200);
                send(exchange, 304, null);
            } else {
                send(exchange, 200, body);
            }
        };
    }

    static Answer status(int code, String body) {
        return (exchange, callerVersion) -> send(exchange, code, body);
    }

    /** Accepts the poll and never answers (a poll held so stays held until the server closes). */
    Answer silence() {
        return (exchange, callerVersion) -> {
            long end = System.currentTimeMillis() + MAX_HOLD_MILLIS;
            while (!closed && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
        };
    }

    /** Status 200 and headers for a long body, then one byte a second. */
    Answer trickle() {
        return (exchange, callerVersion) -> {
            exchange.sendResponseHeaders(200, 1_000_000);
            OutputStream out = exchange.getResponseBody();
            long end = System.currentTimeMillis() + MAX_HOLD_MILLIS;
            while (!closed && System.currentTimeMillis() < end) {
                out.write('{');
                out.flush();
                Thread.sleep(1000);
            }
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        polls.incrementAndGet();
        String query = exchange.getRequestURI().getQuery();
        long version = -1;
        for (String part : query == null ? new String[0] : query.split("&")) {
            if (part.startsWith("version=")) {
                version = Long.parseLong(part.substring("version=".length()));
            }
        }
        try (exchange) {
            answer.answer(exchange, version);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}
