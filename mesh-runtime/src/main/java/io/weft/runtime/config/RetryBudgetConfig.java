package io.weft.runtime.config;

import java.time.Duration;

/**
 * Caps retries to a service so a failing service cannot cause a retry storm: over the last {@code window},
 * retries may be at most {@code percent} of requests plus {@code minPerSecond} a second (Linkerd's budget).
 */
public record RetryBudgetConfig(Double percent, Double minPerSecond, Duration window) {

    public static final RetryBudgetConfig DEFAULTS = new RetryBudgetConfig(null, null, null);

    public RetryBudgetConfig {
        percent = percent == null ? 20.0 : percent;
        minPerSecond = minPerSecond == null ? 10.0 : minPerSecond;
        window = window == null ? Duration.ofSeconds(10) : window;
    }
}
