package io.weft.runtime.engine;

import io.weft.api.Endpoint;
import io.weft.runtime.security.UpstreamTls;

/**
 * One try of a call.
 *
 * @param endpoint     where to send it
 * @param number       0 for the first try, 1 for the first retry, …
 * @param timeoutNanos how long this try may take (the per-try timeout, cut to what is left of the call's);
 *                     0 for no limit from the mesh
 * @param headers      headers the adapter adds to this try (trace context); empty when there are none
 * @param tls          how to connect over mTLS (present this workload's certificate, verify the destination's
 *                     identity, never its host name); null for plaintext
 */
public record Attempt(Endpoint endpoint, int number, long timeoutNanos, java.util.Map<String, String> headers,
                      UpstreamTls tls) {

    public Attempt(Endpoint endpoint, int number, long timeoutNanos) {
        this(endpoint, number, timeoutNanos, java.util.Map.of(), null);
    }

    public Attempt(Endpoint endpoint, int number, long timeoutNanos, java.util.Map<String, String> headers) {
        this(endpoint, number, timeoutNanos, headers, null);
    }

    /**
     * The request's URI pointed at this try's endpoint: same path and query, the endpoint's host and port, and
     * {@code https} (or {@code wss}) when the try is mTLS. For adapters whose client takes the target from the URI.
     */
    public java.net.URI target(java.net.URI uri) {
        StringBuilder sb = new StringBuilder(scheme(uri.getScheme())).append("://").append(endpoint.address());
        sb.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        return java.net.URI.create(sb.toString());
    }

    /** {@code scheme} as this try uses it: the secure one when it is mTLS. */
    public String scheme(String scheme) {
        if (tls == null) {
            return scheme;
        }
        return "ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? "wss" : "https";
    }

    /** The timeout in whole milliseconds, rounded up; 0 for none. */
    public long timeoutMillis() {
        return timeoutNanos <= 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
    }
}
