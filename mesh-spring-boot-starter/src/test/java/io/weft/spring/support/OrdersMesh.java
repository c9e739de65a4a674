package io.weft.spring.support;

import io.weft.runtime.support.Backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mesh config of the tests: service {@code orders} on three real backends, b0 and b1 version v1, b2 version v2.
 * Routes: header {@code x-beta: true} and path {@code /v2/...} go to v2; {@code /flaky/...} retries a 503 on another
 * endpoint; everything else is balanced round robin over all three.
 */
public final class OrdersMesh {

    private OrdersMesh() {
    }

    public static String yaml(Backends backends) {
        return "service: orders\n"
                + "endpoints:\n"
                + "  - { address: " + backends.get(0).address() + ", labels: { version: v1 } }\n"
                + "  - { address: " + backends.get(1).address() + ", labels: { version: v1 } }\n"
                + "  - { address: " + backends.get(2).address() + ", labels: { version: v2 } }\n"
                + "subsets: { v1: { version: v1 }, v2: { version: v2 } }\n"
                + "routes:\n"
                + "  - name: beta\n"
                + "    match: { headers: { x-beta: { exact: \"true\" } } }\n"
                + "    to: [ { subset: v2 } ]\n"
                + "  - name: v2-path\n"
                + "    match: { path: { prefix: /v2 } }\n"
                + "    to: [ { subset: v2 } ]\n"
                + "  - name: flaky\n"
                + "    match: { path: { prefix: /flaky } }\n"
                + "    retries: { attempts: 2, on: [ connect-failure, 503 ], backoff: { base: 1ms, max: 2ms } }\n"
                + "policy:\n"
                + "  loadBalancer: round-robin\n"
                // The retry test answers 503 on purpose; no endpoint should be ejected for it.
                + "  outlierDetection: { consecutiveErrors: 1000 }\n";
    }

    /** Writes the config to {@code dir/orders.yaml} and returns the file. */
    public static Path write(Path dir, Backends backends) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("orders.yaml"), yaml(backends));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
