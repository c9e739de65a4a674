package io.weft.runtime.resilience;

import io.weft.runtime.config.RetryBudgetConfig;

/**
 * Linkerd's retry budget for one destination: over a sliding window, retries may be at most
 * {@code percent} of requests plus {@code minPerSecond} for each second of the window.
 */
public final class RetryBudget {

    private final RetryBudgetConfig config;
    private final SlidingWindowCounter requests;
    private final SlidingWindowCounter retries;
    private final double ratio;
    private final double floor;

    public RetryBudget(RetryBudgetConfig config) {
        this.config = config;
        long windowNanos = config.window().toNanos();
        this.requests = new SlidingWindowCounter(windowNanos, 10);
        this.retries = new SlidingWindowCounter(windowNanos, 10);
        this.ratio = config.percent() / 100.0;
        this.floor = config.minPerSecond() * config.window().toNanos() / 1e9;
    }

    public RetryBudgetConfig config() {
        return config;
    }

    public void onRequest(long nowNanos) {
        requests.increment(nowNanos);
    }

    /** Takes one retry from the budget, or says there is none left. */
    public boolean tryAcquireRetry() {
        long now = System.nanoTime();
        double allowed = floor + ratio * requests.sum(now);
        if (retries.sum(now) + 1 > allowed) {
            return false;
        }
        retries.increment(now);
        return true;
    }
}
