package io.weft.control.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

public final class Await {

    private Await() {
    }

    /** Polls until the condition holds; fails after {@code max}. */
    public static void until(Duration max, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
