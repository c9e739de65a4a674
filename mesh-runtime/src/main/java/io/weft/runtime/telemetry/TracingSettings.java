package io.weft.runtime.telemetry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where and how {@link OtlpTracing} exports spans. Every setting is checked here, and a bad one fails with a
 * message naming it ({@code endpoint}, {@code samplingRatio}, {@code headers}, {@code timeout}).
 *
 * @param endpoint      the collector's OTLP/HTTP base URL, such as {@code http://127.0.0.1:4318}; spans go to
 *                      {@code <endpoint>/v1/traces} (a URL that already ends in {@code /v1/traces} is used as is)
 * @param serviceName   the {@code service.name} of the spans: this application's mesh service; blank means
 *                      {@value #DEFAULT_SERVICE_NAME}
 * @param samplingRatio the share of new traces that are recorded and exported, 0..1; a call inside a trace
 *                      follows its parent's decision
 * @param headers       sent with every export, such as an {@code Authorization} header; their values never appear
 *                      in {@link #toString()}
 * @param timeout       how long one export may take (default 10 s)
 */
public record TracingSettings(String endpoint, String serviceName, double samplingRatio, Map<String, String> headers,
                              Duration timeout) {

    public static final String DEFAULT_SERVICE_NAME = "unknown_service:java";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String TRACES_PATH = "/v1/traces";

    /** Headers the exporter or the JDK's HttpClient sets itself. */
    private static final Set<String> RESERVED_HEADERS = Set.of("connection", "content-length", "content-type",
            "content-encoding", "expect", "host", "upgrade");
    private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

    public TracingSettings {
        endpoint = checkEndpoint(endpoint);
        serviceName = serviceName == null || serviceName.isBlank() ? DEFAULT_SERVICE_NAME : serviceName.trim();
        if (!(samplingRatio >= 0.0 && samplingRatio <= 1.0)) {
            throw new IllegalArgumentException("tracing setting 'samplingRatio' must be within 0..1 (the share of new"
                    + " traces to record); got " + samplingRatio);
        }
        headers = checkHeaders(headers);
        if (timeout == null) {
            timeout = DEFAULT_TIMEOUT;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tracing setting 'timeout' must be positive; got " + timeout);
        }
    }

    /** Exports every new trace to {@code endpoint}, without service name or headers, with a 10 s timeout. */
    public static TracingSettings of(String endpoint) {
        return new TracingSettings(endpoint, null, 1.0, Map.of(), null);
    }

    public TracingSettings withServiceName(String name) {
        return new TracingSettings(endpoint, name, samplingRatio, headers, timeout);
    }

    public TracingSettings withSamplingRatio(double ratio) {
        return new TracingSettings(endpoint, serviceName, ratio, headers, timeout);
    }

    public TracingSettings withHeaders(Map<String, String> extra) {
        return new TracingSettings(endpoint, serviceName, samplingRatio, extra, timeout);
    }

    public TracingSettings withTimeout(Duration exportTimeout) {
        return new TracingSettings(endpoint, serviceName, samplingRatio, headers, exportTimeout);
    }

    /** The URL the spans are posted to: {@code <endpoint>/v1/traces}. */
    public URI tracesUrl() {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return URI.create(base.endsWith(TRACES_PATH) ? base : base + TRACES_PATH);
    }

    @Override
    public String toString() {
        return "TracingSettings[endpoint=" + endpoint + ", serviceName=" + serviceName + ", samplingRatio="
                + samplingRatio + ", headers=" + headers.keySet() + ", timeout=" + timeout + "]";
    }

    private static String checkEndpoint(String endpoint) {
        String example = "the collector's OTLP/HTTP URL, such as http://127.0.0.1:4318";
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("tracing setting 'endpoint' is missing: " + example);
        }
        String e = endpoint.trim();
        URI uri;
        try {
            uri = new URI(e);
        } catch (URISyntaxException ex) {
            throw new IllegalArgumentException("tracing setting 'endpoint' must be an http(s) URL (" + example
                    + "); '" + e + "' is not a URL: " + ex.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("tracing setting 'endpoint' must be an http(s) URL with a host ("
                    + example + "); got '" + e + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("tracing setting 'endpoint' must not have a query or fragment ("
                    + example + "); got '" + e + "'");
        }
        return e;
    }

    private static Map<String, String> checkHeaders(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name == null || name.isEmpty() || !name.chars().allMatch(TracingSettings::isTokenChar)) {
                throw new IllegalArgumentException("tracing setting 'headers' has an invalid header name '" + name + "'");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("tracing setting 'headers' cannot set '" + name
                        + "': the exporter sets it");
            }
            // The value is not shown: it is often a secret.
            if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("tracing setting 'headers' has an invalid value for '" + name
                        + "' (missing, or with a line break)");
            }
            copy.put(name, value);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    private static boolean isTokenChar(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || TOKEN_CHARS.indexOf(c) >= 0);
    }
}
