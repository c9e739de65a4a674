package io.weft.runtime.config;

/**
 * Limits on calls to a service from this process: at most {@code maxRequests} in flight at once; more are
 * answered 503 ({@code overflow}) at once instead of queueing behind a struggling service.
 */
public record ConnectionPoolConfig(Integer maxRequests) {

    public static final ConnectionPoolConfig UNLIMITED = new ConnectionPoolConfig(null);

    public ConnectionPoolConfig {
        maxRequests = maxRequests == null ? Integer.MAX_VALUE : maxRequests;
    }
}
