package io.weft.runtime.config;

import java.time.Duration;

/**
 * Active HTTP health checks: {@code GET path} on every endpoint each {@code interval}; a 2xx is a pass.
 * {@code unhealthyThreshold} failures in a row take an endpoint out, {@code healthyThreshold} passes bring it back.
 */
public record HealthCheckConfig(String path, Duration interval, Duration timeout,
                                Integer unhealthyThreshold, Integer healthyThreshold) {

    public HealthCheckConfig {
        path = path == null ? "/health" : path;
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        timeout = timeout == null ? Duration.ofSeconds(1) : timeout;
        unhealthyThreshold = unhealthyThreshold == null ? 2 : unhealthyThreshold;
        healthyThreshold = healthyThreshold == null ? 1 : healthyThreshold;
    }
}
