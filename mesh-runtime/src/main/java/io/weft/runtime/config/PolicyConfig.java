package io.weft.runtime.config;

/**
 * Traffic policy for calls to a service (Istio: the DestinationRule's trafficPolicy). Absent parts take defaults:
 * least-request balancing, outlier detection on (5 consecutive errors, 30 s base ejection, at most 50 % ejected),
 * a retry budget of 20 % plus 10 retries a second, no breaker, no active health checks, no concurrency limit,
 * plaintext ({@link TlsConfig}).
 */
public record PolicyConfig(LoadBalancerConfig loadBalancer,
                           CircuitBreakerConfig circuitBreaker,
                           OutlierDetectionConfig outlierDetection,
                           RetryBudgetConfig retryBudget,
                           HealthCheckConfig healthCheck,
                           ConnectionPoolConfig connectionPool,
                           TlsConfig tls) {

    public static final PolicyConfig DEFAULTS = new PolicyConfig(null, null, null, null, null, null, null);

    public PolicyConfig(LoadBalancerConfig loadBalancer, CircuitBreakerConfig circuitBreaker,
                        OutlierDetectionConfig outlierDetection, RetryBudgetConfig retryBudget,
                        HealthCheckConfig healthCheck, ConnectionPoolConfig connectionPool) {
        this(loadBalancer, circuitBreaker, outlierDetection, retryBudget, healthCheck, connectionPool, null);
    }

    public PolicyConfig {
        loadBalancer = loadBalancer == null ? LoadBalancerConfig.DEFAULT : loadBalancer;
        outlierDetection = outlierDetection == null ? OutlierDetectionConfig.DEFAULTS : outlierDetection;
        retryBudget = retryBudget == null ? RetryBudgetConfig.DEFAULTS : retryBudget;
        connectionPool = connectionPool == null ? ConnectionPoolConfig.UNLIMITED : connectionPool;
        tls = tls == null ? TlsConfig.DISABLED : tls;
    }
}
