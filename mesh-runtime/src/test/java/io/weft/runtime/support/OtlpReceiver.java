package io.weft.runtime.support;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1 (the JDK's HttpServer): takes {@code POST /v1/traces} with a
 * protobuf body (gzip or not), decodes it with the protocol's generated classes, answers 200 with an empty
 * {@link ExportTraceServiceResponse} and keeps what it got. Anything else is answered with an error and kept in
 * {@link #rejected()}.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One export as received: its headers (names case-insensitive) and its decoded body. */
    public record Export(Map<String, String> headers, ExportTraceServiceRequest request) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    /** A span with the resource and instrumentation scope it was exported under. */
    public record ReceivedSpan(Resource resource, String scope, Span span) {
        public String traceId() {
            return hex(span.getTraceId());
        }

        public String spanId() {
            return hex(span.getSpanId());
        }

        public String parentSpanId() {
            return hex(span.getParentSpanId());
        }

        /** A span attribute as String, Long, Double or Boolean; null when absent. */
        public Object attribute(String key) {
            return attributes(span.getAttributesList()).get(key);
        }

        public Object resourceAttribute(String key) {
            return attributes(resource.getAttributesList()).get(key);
        }
    }

    private final HttpServer server;
    private final List<Export> exports = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/", receiver::handle);
        server.start();
        return receiver;
    }

    /** The base URL to export to, as an OTLP endpoint setting: {@code http://127.0.0.1:port}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Export> exports() {
        return List.copyOf(exports);
    }

    /** Requests that were not a valid OTLP/HTTP protobuf trace export, with the reason. */
    public List<String> rejected() {
        return List.copyOf(rejected);
    }

    /** Every span received, in order of arrival. */
    public List<ReceivedSpan> spans() {
        List<ReceivedSpan> spans = new ArrayList<>();
        for (Export e : exports) {
            for (ResourceSpans rs : e.request().getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        spans.add(new ReceivedSpan(rs.getResource(), ss.getScope().getName(), s));
                    }
                }
            }
        }
        return spans;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    public static Map<String, Object> attributes(List<KeyValue> attributes) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (KeyValue kv : attributes) {
            map.put(kv.getKey(), value(kv.getValue()));
        }
        return map;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            default -> v.toString();
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            if (!"POST".equals(exchange.getRequestMethod())) {
                reject(exchange, 405, exchange.getRequestMethod() + " " + exchange.getRequestURI());
                return;
            }
            if (!"/v1/traces".equals(exchange.getRequestURI().getPath())) {
                reject(exchange, 404, "path " + exchange.getRequestURI());
                return;
            }
            if (contentType == null || !contentType.startsWith("application/x-protobuf")) {
                reject(exchange, 415, "content type " + contentType);
                return;
            }
            ExportTraceServiceRequest request;
            try (InputStream in = body(exchange.getRequestBody(), encoding)) {
                request = ExportTraceServiceRequest.parseFrom(in);
            } catch (IOException | IllegalArgumentException e) {
                reject(exchange, 400, "undecodable body (" + encoding + "): " + e);
                return;
            }
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
            exports.add(new Export(headers, request));
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                exchange.getResponseBody().write(response);
            }
        }
    }

    private static InputStream body(InputStream raw, String encoding) throws IOException {
        if (encoding == null || encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (encoding.equalsIgnoreCase("gzip")) {
            return new GZIPInputStream(raw);
        }
        throw new IllegalArgumentException("unsupported content encoding " + encoding);
    }

    private void reject(HttpExchange exchange, int status, String reason) throws IOException {
        rejected.add(status + " " + reason);
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, -1);
    }
}
