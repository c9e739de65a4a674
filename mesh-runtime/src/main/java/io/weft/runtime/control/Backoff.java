package io.weft.runtime.control;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for talking to the control plane: 250 ms doubling to 30 s, each cut by up to half.
 * Public for the certificate renewal in {@code io.weft.runtime.security}.
 */
public final class Backoff {

    private static final long BASE_MILLIS = 250;
    private static final long MAX_MILLIS = 30_000;
    private int failures;

    public synchronized long nextDelayMillis() {
        long ceiling = Math.min(MAX_MILLIS, BASE_MILLIS << Math.min(failures, 16));
        failures++;
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    public synchronized void reset() {
        failures = 0;
    }
}
