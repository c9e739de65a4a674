package io.weft.runtime.telemetry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most so many log lines of one kind per window, so that a caller hammering a closed door cannot flood the log;
 * the lines left out are counted, for the next line written to say how many there were.
 */
public final class LogRateLimit {

    private final int lines;
    private final long windowNanos;
    private final AtomicLong window = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong linesInWindow = new AtomicLong();
    private final AtomicLong leftOut = new AtomicLong();

    public LogRateLimit(int lines, Duration window) {
        if (lines < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("need at least one line per positive window, got " + lines + " per "
                    + window);
        }
        this.lines = lines;
        this.windowNanos = window.toNanos();
    }

    public static LogRateLimit perSecond(int lines) {
        return new LogRateLimit(lines, Duration.ofSeconds(1));
    }

    /** -1 when this line is to be left out; else how many were left out since the last line written. */
    public long admit() {
        long now = Math.floorDiv(System.nanoTime(), windowNanos);
        long current = window.get();
        if (current != now && window.compareAndSet(current, now)) {
            linesInWindow.set(0);
        }
        if (linesInWindow.incrementAndGet() > lines) {
            leftOut.incrementAndGet();
            return -1;
        }
        return leftOut.getAndSet(0);
    }

    /** The end of a line that says how many {@code what} were left out before it; empty for none. */
    public static String leftOut(long count, String what) {
        return count <= 0 ? "" : " (" + count + " " + what + " not logged before this one)";
    }
}
