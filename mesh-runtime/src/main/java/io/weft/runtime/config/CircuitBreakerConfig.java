package io.weft.runtime.config;

import java.time.Duration;

/**
 * A breaker per endpoint: it opens when, over the last {@code windowSize} calls (at least {@code minimumCalls}),
 * the failure rate or the rate of calls slower than {@code slowCallDuration} reaches its threshold; after
 * {@code openFor} it lets {@code halfOpenCalls} probes through and closes if they succeed.
 */
public record CircuitBreakerConfig(Double failureRatePercent,
                                   Double slowCallRatePercent,
                                   Duration slowCallDuration,
                                   Integer minimumCalls,
                                   Integer windowSize,
                                   Duration openFor,
                                   Integer halfOpenCalls) {

    public CircuitBreakerConfig {
        failureRatePercent = failureRatePercent == null ? 50.0 : failureRatePercent;
        slowCallRatePercent = slowCallRatePercent == null ? 100.0 : slowCallRatePercent;
        slowCallDuration = slowCallDuration == null ? Duration.ofSeconds(60) : slowCallDuration;
        minimumCalls = minimumCalls == null ? 20 : minimumCalls;
        windowSize = windowSize == null ? Math.max(100, minimumCalls) : windowSize;
        openFor = openFor == null ? Duration.ofSeconds(10) : openFor;
        halfOpenCalls = halfOpenCalls == null ? 3 : halfOpenCalls;
    }
}
