package io.weft.perf;

/**
 * The mesh config the benchmarks run against, as a user would write it: one service, {@code orders}, with four
 * endpoints that are never connected to (the transport does no I/O), two subsets by {@code version}, and three
 * routes in front of the engine's own catch-all.
 */
final class BenchConfig {

    static final String SERVICE = "orders";
    /** A host that is not a mesh service: calls to it pass through. */
    static final String EXTERNAL_HOST = "payments.example.com";

    private BenchConfig() {
    }

    /**
     * @param balancer {@code least-request}, {@code round-robin} or {@code ring-hash} (hashing the {@code x-user} header)
     * @param breaker  whether endpoints get a circuit breaker (off by default in Weft)
     */
    static String yaml(String balancer, boolean breaker) {
        String lb = switch (balancer) {
            case "ring-hash" -> "{ type: ring-hash, hashHeader: x-user }";
            case "least-request", "round-robin", "random" -> balancer;
            default -> throw new IllegalArgumentException("unknown balancer " + balancer);
        };
        return """
                service: orders
                endpoints:
                  - { address: 127.0.0.1:1, labels: { version: v1 } }
                  - { address: 127.0.0.1:2, labels: { version: v1 } }
                  - { address: 127.0.0.1:3, labels: { version: v2 } }
                  - { address: 127.0.0.1:4, labels: { version: v2 } }
                subsets:
                  v1: { version: v1 }
                  v2: { version: v2 }
                routes:
                  # 1. header match: canary traffic to v2
                  - name: canary
                    match:
                      headers:
                        x-canary: { exact: "true" }
                    to:
                      - { subset: v2 }
                  # 2. path prefix with a 90/10 weighted split, overall timeout and retries
                  - name: api
                    match:
                      path: { prefix: /api/ }
                    to:
                      - { subset: v1, weight: 90 }
                      - { subset: v2, weight: 10 }
                    timeout: 2s
                    retries: { attempts: 2, on: [ 5xx, connect-failure ], perTryTimeout: 500ms }
                  # 3. default: everything else to v1
                  - name: default
                    to:
                      - { subset: v1 }
                policy:
                  loadBalancer: %s
                """.formatted(lb)
                + (breaker ? "  circuitBreaker: { failureRatePercent: 50, minimumCalls: 20, windowSize: 100, openFor: 10s }\n" : "");
    }

    /** The request that exercises {@code route} ({@code header}, {@code prefix-split} or {@code default}). */
    static BenchRequest request(String route) {
        return switch (route) {
            // Matches route 1 on its header.
            case "header" -> BenchRequest.get("/api/orders/42", "X-Canary", "true", "X-User", "user-4711");
            // Fails route 1 (header absent: a full header scan), matches route 2 by prefix, then draws 90/10.
            case "prefix-split" -> BenchRequest.get("/api/orders/42", "X-User", "user-4711");
            // Fails routes 1 and 2, matches route 3.
            case "default" -> BenchRequest.get("/internal/status", "X-User", "user-4711");
            default -> throw new IllegalArgumentException("unknown route " + route);
        };
    }

    /** The name of the route that {@link #request(String)} should match. */
    static String expectedRoute(String route) {
        return switch (route) {
            case "header" -> "canary";
            case "prefix-split" -> "api";
            case "default" -> "default";
            default -> throw new IllegalArgumentException("unknown route " + route);
        };
    }
}
