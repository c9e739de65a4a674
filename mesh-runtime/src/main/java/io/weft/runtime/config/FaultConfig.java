package io.weft.runtime.config;

import java.time.Duration;

/** Fault injection of a route, for testing resilience: delay and/or abort a share of the requests. */
public record FaultConfig(Delay delay, Abort abort) {

    /** Delays {@code percent} of requests by {@code duration} before they are sent. */
    public record Delay(Double percent, Duration duration) {
        public Delay {
            percent = percent == null ? 100.0 : percent;
        }
    }

    /** Answers {@code percent} of requests with {@code status} without sending them. */
    public record Abort(Double percent, Integer status) {
        public Abort {
            percent = percent == null ? 100.0 : percent;
            status = status == null ? 503 : status;
        }
    }
}
