package io.weft.sidecar.proxy;

/**
 * Fired through every downstream connection's pipeline when the sidecar starts draining: idle connections close
 * at once, busy ones after their exchange (HTTP/2: GOAWAY, then close once the streams are done).
 */
public enum DrainEvent {
    INSTANCE
}
