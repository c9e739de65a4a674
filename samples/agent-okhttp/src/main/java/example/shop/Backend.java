package example.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A named backend for the demo: the JDK's own HTTP server on 127.0.0.1, answering every request with its name, the
 * request's method and path, and the {@code Host} it was sent to, e.g. {@code orders-b: GET /api/orders/3 (Host:
 * orders)}.
 *
 * <pre>java -jar agent-okhttp.jar backend 18081 orders-a</pre>
 */
public final class Backend implements AutoCloseable {

    static {
        // Headers and body are written separately; without TCP_NODELAY the body waits for a delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String name;
    private final HttpServer server;

    private Backend(String name, int port) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "backend-" + name);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
    }

    /** Starts a backend on 127.0.0.1; port 0 picks a free one. */
    public static Backend start(String name, int port) throws IOException {
        Backend b = new Backend(name, port);
        b.server.start();
        return b;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String host = exchange.getRequestHeaders().getFirst("Host");
            byte[] body = (name + ": " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " (Host: " + host + ")")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** {@code backend PORT NAME}: serves until the process is stopped. */
    static void main(String port, String name) throws Exception {
        Backend b = start(name, Integer.parseInt(port));
        System.out.println("backend " + name + " listening on 127.0.0.1:" + b.port());
        Thread.currentThread().join();
    }
}
