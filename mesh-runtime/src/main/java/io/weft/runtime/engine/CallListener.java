package io.weft.runtime.engine;

/** Hears about every finished call; where metrics, traces and access logs attach. Must be fast and not throw. */
@FunctionalInterface
public interface CallListener {

    void onCallEnd(CallRecord call);
}
