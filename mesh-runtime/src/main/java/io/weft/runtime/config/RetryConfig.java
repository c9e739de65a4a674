package io.weft.runtime.config;

import java.time.Duration;
import java.util.List;

/**
 * Retries of a route. {@code attempts} counts retries after the first try, as in Istio.
 * {@code on} lists the conditions: {@code connect-failure}, {@code reset}, {@code timeout}, {@code 5xx}
 * (any 5xx, reset or timeout), {@code gateway-error} (502, 503, 504), {@code retriable-4xx} (409), or status codes.
 * A request that may have reached the endpoint is retried only for idempotent methods unless
 * {@code allowNonIdempotent} is set. Without a {@code retries} block a route retries twice on connect failures only:
 * such a request never left.
 * <p>
 * gRPC status names ({@link #GRPC_STATUS_CONDITIONS}: {@code unavailable}, {@code resource-exhausted}, …) stand for
 * the HTTP-like status the gRPC adapter records for that code (503, 429, …). As in gRPC's own retry policy, the route
 * owner naming a status says that answer is safe to retry: it is retried whatever the method (a gRPC call is a
 * {@code POST}), as long as the request can be sent again.
 */
public record RetryConfig(Integer attempts,
                          List<String> on,
                          Duration perTryTimeout,
                          BackoffConfig backoff,
                          Boolean allowNonIdempotent) {

    /** gRPC status names accepted in {@code on}, with the HTTP-like status the gRPC adapter records for each. */
    public static final java.util.Map<String, Integer> GRPC_STATUS_CONDITIONS = java.util.Map.of(
            "cancelled", 499, "deadline-exceeded", 504, "internal", 500, "resource-exhausted", 429, "unavailable", 503);

    public static final RetryConfig DEFAULTS = new RetryConfig(2, List.of("connect-failure"), null, null, false);

    public RetryConfig {
        attempts = attempts == null ? 2 : attempts;
        on = on == null ? List.of("connect-failure") : List.copyOf(on);
        backoff = backoff == null ? BackoffConfig.DEFAULTS : backoff;
        allowNonIdempotent = allowNonIdempotent != null && allowNonIdempotent;
    }

    /** Exponential backoff with full jitter between {@code base} and {@code max}. */
    public record BackoffConfig(Duration base, Duration max) {
        public static final BackoffConfig DEFAULTS = new BackoffConfig(Duration.ofMillis(25), Duration.ofMillis(250));

        public BackoffConfig {
            base = base == null ? Duration.ofMillis(25) : base;
            max = max == null ? base.multipliedBy(10) : max;
        }
    }
}
