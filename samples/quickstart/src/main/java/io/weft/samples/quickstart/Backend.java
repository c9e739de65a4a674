package io.weft.samples.quickstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP backend on 127.0.0.1 (the JDK's own server, on a port the OS picks). It answers every request with
 * its name and version, in the body and in {@code x-backend} / {@code x-version} headers, and counts what it
 * receives. {@link #failWith(int)} is the switch that makes it answer with an error instead, as a broken instance
 * would; {@link #heal()} turns it back.
 */
public final class Backend implements AutoCloseable {

    public static final String NAME_HEADER = "x-backend";
    public static final String VERSION_HEADER = "x-version";

    static {
        // The JDK server writes the headers and the body of a response separately; with Nagle's algorithm on, the
        // body then waits for the client's delayed ACK (~40 ms a call on Linux). Read once, when the first server
        // starts; an explicit -Dsun.net.httpserver.nodelay wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String name;
    private final String version;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger errorsServed = new AtomicInteger();
    private volatile int failWith;

    private Backend(String name, String version) throws IOException {
        this.name = name;
        this.version = version;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "backend-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts a backend on 127.0.0.1 and a free port. */
    public static Backend start(String name, String version) throws IOException {
        Backend b = new Backend(name, version);
        b.server.start();
        return b;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            requests.incrementAndGet();
            int status = failWith;
            String body;
            if (status != 0) {
                errorsServed.incrementAndGet();
                body = name + " " + version + " is failing: " + status + "\n";
            } else {
                status = 200;
                body = name + " " + version + "\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set(NAME_HEADER, name);
            exchange.getResponseHeaders().set(VERSION_HEADER, version);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:port}, as the mesh config names the endpoint. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** Error answers given so far (while failing). */
    public int errorsServed() {
        return errorsServed.get();
    }

    /** From now on, answer every request with {@code status} (such as 503). */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** Answer 200 again. */
    public void heal() {
        this.failWith = 0;
    }

    public boolean isFailing() {
        return failWith != 0;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return name + " (" + version + ", " + address() + ")";
    }
}
