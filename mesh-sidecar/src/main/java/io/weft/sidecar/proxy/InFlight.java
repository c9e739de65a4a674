package io.weft.sidecar.proxy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Exchanges in progress across all listeners, so that a drain knows when the last one has finished. */
public final class InFlight {

    private final AtomicInteger count = new AtomicInteger();
    private final Object idle = new Object();

    void enter() {
        count.incrementAndGet();
    }

    void exit() {
        if (count.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    public int count() {
        return count.get();
    }

    /** Waits until no exchange is in progress; false if some still are after {@code timeout}. */
    public boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (count.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }
}
