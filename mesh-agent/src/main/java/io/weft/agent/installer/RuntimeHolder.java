package io.weft.agent.installer;

import io.weft.runtime.WeftRuntime;
import io.weft.runtime.engine.MeshEngine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent's runtime, started off the app's main thread so the JVM starts at full speed. The first meshed call
 * waits for it (and for the first config) at most {@code awaitConfig} after the agent started; after that nobody
 * waits, and until it is there calls simply pass through unmeshed.
 */
final class RuntimeHolder implements Supplier<MeshEngine> {

    private final CountDownLatch ready = new CountDownLatch(1);
    private final long deadlineNanos;
    private volatile WeftRuntime runtime;
    private volatile boolean waited;

    RuntimeHolder(Duration awaitConfig) {
        this.deadlineNanos = System.nanoTime() + awaitConfig.toNanos();
    }

    void ready(WeftRuntime r) {
        runtime = r;
        ready.countDown();
    }

    /** Startup failed: stop anyone from waiting. */
    void failed() {
        ready.countDown();
    }

    WeftRuntime runtime() {
        return runtime;
    }

    @Override
    public MeshEngine get() {
        WeftRuntime r = runtime;
        if (r == null && !waited) {
            try {
                long left = deadlineNanos - System.nanoTime();
                if (left > 0) {
                    ready.await(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waited = true;
            }
            r = runtime;
        }
        return r == null ? null : r.engine();
    }
}
