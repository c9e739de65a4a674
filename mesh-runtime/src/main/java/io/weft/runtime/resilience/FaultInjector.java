package io.weft.runtime.resilience;

import io.weft.runtime.config.FaultConfig;

import java.util.concurrent.ThreadLocalRandom;

/** A route's fault injection, compiled once: draws per request whether to delay and whether to abort. */
public final class FaultInjector {

    private final double delayPercent;
    private final long delayNanos;
    private final double abortPercent;
    private final int abortStatus;

    public FaultInjector(FaultConfig config) {
        this.delayPercent = config.delay() == null ? 0 : config.delay().percent();
        this.delayNanos = config.delay() == null ? 0 : config.delay().duration().toNanos();
        this.abortPercent = config.abort() == null ? 0 : config.abort().percent();
        this.abortStatus = config.abort() == null ? 0 : config.abort().status();
    }

    /** How long to hold this request before sending it; 0 for no delay. */
    public long drawDelayNanos() {
        return delayPercent > 0 && draw(delayPercent) ? delayNanos : 0;
    }

    /** The status to answer this request with instead of sending it; 0 to send it. */
    public int drawAbortStatus() {
        return abortPercent > 0 && draw(abortPercent) ? abortStatus : 0;
    }

    private static boolean draw(double percent) {
        return percent >= 100 || ThreadLocalRandom.current().nextDouble(100) < percent;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("fault");
        if (delayPercent > 0) {
            sb.append(" delay ").append(delayNanos / 1_000_000).append("ms for ").append(delayPercent).append('%');
        }
        if (abortPercent > 0) {
            sb.append(" abort ").append(abortStatus).append(" for ").append(abortPercent).append('%');
        }
        return sb.toString();
    }
}
