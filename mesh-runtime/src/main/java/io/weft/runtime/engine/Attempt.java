package io.weft.runtime.engine;

import io.weft.api.Endpoint;

/**
 * One try of a call.
 *
 * @param endpoint     where to send it
 * @param number       0 for the first try, 1 for the first retry, …
 * @param timeoutNanos how long this try may take (the per-try timeout, cut to what is left of the call's);
 *                     0 for no limit from the mesh
 * @param headers      headers the adapter adds to this try (trace context); empty when there are none
 */
public record Attempt(Endpoint endpoint, int number, long timeoutNanos, java.util.Map<String, String> headers) {

    public Attempt(Endpoint endpoint, int number, long timeoutNanos) {
        this(endpoint, number, timeoutNanos, java.util.Map.of());
    }

    /**
     * The request's URI pointed at this try's endpoint: same scheme, path and query, the endpoint's host and port.
     * For adapters whose client takes the target from the URI.
     */
    public java.net.URI target(java.net.URI uri) {
        StringBuilder sb = new StringBuilder(uri.getScheme()).append("://").append(endpoint.address());
        sb.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        return java.net.URI.create(sb.toString());
    }

    /** The timeout in whole milliseconds, rounded up; 0 for none. */
    public long timeoutMillis() {
        return timeoutNanos <= 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
    }
}
