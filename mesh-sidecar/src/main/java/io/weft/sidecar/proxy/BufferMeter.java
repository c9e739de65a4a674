package io.weft.sidecar.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts body bytes the proxy holds: read from one side and not yet written to the other. Backpressure keeps this
 * near one socket read per exchange whatever the size of a body; the high-water mark shows whether it did.
 */
public final class BufferMeter {

    private final AtomicLong held = new AtomicLong();
    private final AtomicLong highWater = new AtomicLong();

    void add(long bytes) {
        long now = held.addAndGet(bytes);
        highWater.accumulateAndGet(now, Math::max);
    }

    void remove(long bytes) {
        held.addAndGet(-bytes);
    }

    /** Bytes held right now. */
    public long held() {
        return held.get();
    }

    /** The most bytes held at once since start (or the last reset). */
    public long highWater() {
        return highWater.get();
    }

    public void resetHighWater() {
        highWater.set(held.get());
    }
}
