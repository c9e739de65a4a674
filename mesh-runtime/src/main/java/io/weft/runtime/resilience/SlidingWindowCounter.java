package io.weft.runtime.resilience;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts events over the last {@code window}, in a ring of buckets. Lock-free: an increment is an atomic add on
 * its bucket; a bucket left over from an earlier lap is reset by whoever reaches it first.
 */
final class SlidingWindowCounter {

    private final long bucketNanos;
    private final int buckets;
    private final AtomicLongArray counts;
    /** The lap (time / bucketNanos) each bucket's count belongs to. */
    private final AtomicLongArray laps;

    SlidingWindowCounter(long windowNanos, int buckets) {
        this.buckets = buckets;
        this.bucketNanos = Math.max(1, windowNanos / buckets);
        this.counts = new AtomicLongArray(buckets);
        this.laps = new AtomicLongArray(buckets);
    }

    void increment(long nowNanos) {
        long lap = nowNanos / bucketNanos;
        int i = (int) Math.floorMod(lap, (long) buckets);
        long seen = laps.get(i);
        if (seen != lap && laps.compareAndSet(i, seen, lap)) {
            counts.set(i, 0);
        }
        counts.incrementAndGet(i);
    }

    long sum(long nowNanos) {
        long lap = nowNanos / bucketNanos;
        long total = 0;
        for (int i = 0; i < buckets; i++) {
            if (lap - laps.get(i) < buckets) {
                total += counts.get(i);
            }
        }
        return total;
    }
}
