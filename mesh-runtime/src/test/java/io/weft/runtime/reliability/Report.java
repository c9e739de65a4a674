package io.weft.runtime.reliability;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * The figures a scenario measured, printed as {@code [reliability] <scenario> <what>: <figure>} lines on stdout, which
 * is where docs/RELIABILITY.md takes them from.
 */
public final class Report {

    private final String scenario;

    public Report(String scenario) {
        this.scenario = scenario + " (" + ReliabilityMode.name() + ")";
    }

    public void line(String what, Object figure) {
        System.out.println("[reliability] " + scenario + " " + what + ": " + figure);
    }

    public static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** p50, p99, p99.9 and max of a latency histogram in nanoseconds, with its count. */
    public static String latency(Histogram h) {
        return String.format(Locale.ROOT, "p50 %s, p99 %s, p99.9 %s, max %s (n=%d)",
                millis(h.getValueAtPercentile(50)), millis(h.getValueAtPercentile(99)),
                millis(h.getValueAtPercentile(99.9)), millis(h.getMaxValue()), h.getTotalCount());
    }
}
