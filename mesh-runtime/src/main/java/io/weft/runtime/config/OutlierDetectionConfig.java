package io.weft.runtime.config;

import java.time.Duration;

/**
 * Passive ejection: after {@code consecutiveErrors} 5xx answers or connection failures in a row an endpoint is
 * taken out of rotation for {@code baseEjectionTime}, doubled at each repeat ejection up to
 * {@code maxEjectionTime}; never more than {@code maxEjectionPercent} of a service's endpoints at once.
 */
public record OutlierDetectionConfig(Boolean enabled,
                                     Integer consecutiveErrors,
                                     Duration baseEjectionTime,
                                     Duration maxEjectionTime,
                                     Double maxEjectionPercent) {

    public static final OutlierDetectionConfig DEFAULTS = new OutlierDetectionConfig(null, null, null, null, null);

    public OutlierDetectionConfig {
        enabled = enabled == null || enabled;
        consecutiveErrors = consecutiveErrors == null ? 5 : consecutiveErrors;
        baseEjectionTime = baseEjectionTime == null ? Duration.ofSeconds(30) : baseEjectionTime;
        maxEjectionTime = maxEjectionTime == null ? Duration.ofSeconds(300) : maxEjectionTime;
        maxEjectionPercent = maxEjectionPercent == null ? 50.0 : maxEjectionPercent;
    }
}
