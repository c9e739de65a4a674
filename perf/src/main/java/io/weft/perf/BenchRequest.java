package io.weft.perf;

import io.weft.api.OutboundRequest;

/**
 * An outbound request as an adapter would present it: method, path and a handful of headers, looked up by a
 * case-insensitive scan (as OkHttp's {@code Headers.get} does). Immutable, built once per benchmark.
 */
final class BenchRequest implements OutboundRequest {

    private final String method;
    private final String path;
    private final String[] names;
    private final String[] values;

    private BenchRequest(String method, String path, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        this.method = method;
        this.path = path;
        this.names = new String[headers.length / 2];
        this.values = new String[headers.length / 2];
        for (int i = 0; i < names.length; i++) {
            names[i] = headers[2 * i];
            values[i] = headers[2 * i + 1];
        }
    }

    /** A GET with the headers a typical service-to-service call carries, plus {@code extra} name/value pairs. */
    static BenchRequest get(String path, String... extra) {
        String[] common = {
                "Accept", "application/json",
                "User-Agent", "weft-bench/1.0",
                "X-Request-Id", "5b1c8f7e-2f44-4c1e-9a61-0f3f2d7c9b10",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        };
        String[] all = new String[common.length + extra.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(extra, 0, all, common.length, extra.length);
        return new BenchRequest("GET", path, all);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
