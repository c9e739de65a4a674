package io.weft.runtime.adapter.grpc;

import io.grpc.Status;
import io.weft.runtime.resilience.Outcome;

/**
 * An attempt that got no answer from the endpoint: it could not connect, ran out of time, or its stream broke. The
 * engine reads {@link #outcome()}; if it ends the call, the app gets the attempt's own events and status.
 */
final class GrpcAttemptException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient GrpcAttempt<?, ?> attempt;
    private final transient Outcome outcome;

    GrpcAttemptException(GrpcAttempt<?, ?> attempt, Status status, Outcome outcome) {
        super(status.toString(), status.getCause(), false, false);
        this.attempt = attempt;
        this.outcome = outcome;
    }

    GrpcAttempt<?, ?> attempt() {
        return attempt;
    }

    Outcome outcome() {
        return outcome;
    }
}
