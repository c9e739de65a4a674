package io.weft.runtime.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weft.api.Explanation;
import io.weft.runtime.WeftRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The data plane's admin port, with Envoy's paths where Envoy has one, so operators find their way:
 * <ul>
 *   <li>{@code /ready}: 200 once the first config (and, with a CA, the first certificate) is in force and the
 *   owner says it is ready, else 503</li>
 *   <li>{@code /stats/prometheus} (also {@code /metrics}): the Prometheus scrape</li>
 *   <li>{@code /config_dump}: the config in force and where it came from</li>
 *   <li>{@code /clusters}: every service's endpoints with health, ejection, breaker and requests in flight</li>
 *   <li>{@code /explain?url=http://orders/api&method=GET&header=x-beta:true}: how a request would be routed</li>
 *   <li>{@code /certs}: this workload's certificate: identity, expiry, next renewal, last error</li>
 * </ul>
 * It binds 127.0.0.1 unless told otherwise: it shows the mesh's topology, so it is not for the world. It runs on
 * one thread of its own; nothing here touches the call path.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final WeftRuntime runtime;
    private final AdminViews views;
    private final Supplier<String> scrape;
    private final BooleanSupplier ownerReady;

    private AdminServer(HttpServer server, WeftRuntime runtime, Supplier<String> scrape, BooleanSupplier ownerReady) {
        this.server = server;
        this.runtime = runtime;
        this.views = new AdminViews(runtime);
        this.scrape = scrape;
        this.ownerReady = ownerReady;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weft-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving on {@code address} (port 0 picks a free one).
     *
     * @param scrape     the Prometheus text, or null when there is no Prometheus registry
     * @param ownerReady what the owner (a sidecar, an agent) adds to readiness, such as "listeners bound, not
     *                   draining"; null for nothing
     */
    public static AdminServer start(InetSocketAddress address, WeftRuntime runtime, Supplier<String> scrape,
                                    BooleanSupplier ownerReady) throws IOException {
        AdminServer admin = new AdminServer(HttpServer.create(address, 16), runtime, scrape, ownerReady);
        admin.server.start();
        log.info("Weft admin port listening on http://{}:{}/", address.getHostString(), admin.port());
        return admin;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Ready: the first config is in force (at once without a control plane), and the owner agrees. */
    public boolean ready() {
        try {
            return runtime.awaitConfig(java.time.Duration.ZERO) && (ownerReady == null || ownerReady.getAsBoolean());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain", "the admin port answers GET only\n");
                return;
            }
            URI uri = exchange.getRequestURI();
            switch (uri.getPath()) {
                case "/" -> send(exchange, 200, "text/plain", index());
                case "/ready" -> send(exchange, ready() ? 200 : 503, "text/plain", ready() ? "ready\n" : "not ready\n");
                case "/stats/prometheus", "/metrics" -> {
                    if (scrape == null) {
                        send(exchange, 404, "text/plain", "no Prometheus registry: add io.micrometer:"
                                + "micrometer-registry-prometheus, or give the runtime a PrometheusMeterRegistry\n");
                    } else {
                        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get());
                    }
                }
                case "/config_dump" -> sendJson(exchange, 200, AdminViews.write(views.configDump()));
                case "/clusters" -> sendJson(exchange, 200, AdminViews.write(views.clusters()));
                case "/certs" -> sendJson(exchange, 200, AdminViews.write(views.certs()));
                case "/explain" -> explain(exchange, uri.getRawQuery());
                default -> send(exchange, 404, "text/plain", "no such admin path: " + uri.getPath() + "\n" + index());
            }
        } catch (RuntimeException e) {
            log.warn("Admin request {} failed", exchange.getRequestURI(), e);
        }
    }

    private void explain(HttpExchange exchange, String rawQuery) throws IOException {
        Map<String, List<String>> query = parseQuery(rawQuery);
        String url = first(query, "url");
        if (url == null) {
            send(exchange, 400, "text/plain", "explain needs url=http://<service>/<path>, and may take method= and "
                    + "header=name:value (repeatable)\n");
            return;
        }
        URI target;
        try {
            target = new URI(url);
        } catch (java.net.URISyntaxException e) {
            send(exchange, 400, "text/plain", "url is not a URI: " + e.getMessage() + "\n");
            return;
        }
        if (target.getHost() == null) {
            send(exchange, 400, "text/plain", "url has no host: " + url + "\n");
            return;
        }
        Map<String, String> headers = new HashMap<>();
        for (String h : query.getOrDefault("header", List.of())) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                send(exchange, 400, "text/plain", "header must be name:value, got '" + h + "'\n");
                return;
            }
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        String method = first(query, "method");
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        Explanation x = runtime.engine().explain(target.getHost(),
                new ExplainRequest(method == null ? "GET" : method, path, headers));
        sendJson(exchange, 200, AdminViews.write(AdminViews.explanation(x)));
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String index() {
        return """
                Weft admin
                  /ready              200 once the first config (and certificate) is in force
                  /stats/prometheus   metrics in Prometheus text (also /metrics)
                  /config_dump        the config in force and its origin
                  /clusters           endpoints with health, ejection, breaker, requests in flight
                  /certs              this workload's certificate: identity, expiry, renewal, last error
                  /explain?url=http://<service>/<path>[&method=GET][&header=name:value]
                """;
    }

    private static void sendJson(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
