package io.weft.runtime.reliability;

import java.time.Duration;

/**
 * Quick runs for CI (seconds) or long runs for a local check (a minute or more), picked with
 * {@code -Dweft.reliability.long=true}. Every scenario takes its durations from here, so one switch scales all.
 */
public final class ReliabilityMode {

    public static final boolean LONG = Boolean.getBoolean("weft.reliability.long");

    private ReliabilityMode() {
    }

    public static Duration pick(Duration quick, Duration longRun) {
        return LONG ? longRun : quick;
    }

    public static String name() {
        return LONG ? "long" : "quick";
    }
}
