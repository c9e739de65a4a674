package io.weft.runtime.engine;

import io.weft.runtime.resilience.Outcome;

import java.io.IOException;

/**
 * What an adapter gives the engine to run a call: the I/O of one attempt, and the client's own ways of
 * reading a status, dropping a response and making a local one. Decisions stay in the engine.
 *
 * @param <R> the client's response type
 */
public interface Transport<R> {

    /**
     * Sends the request to {@code attempt.endpoint()}, bounded by {@code attempt.timeoutNanos()} when that is not 0.
     * Called once per attempt, from the calling thread.
     */
    R send(Attempt attempt) throws IOException;

    int status(R response);

    /** Releases a response that will not be returned because the call is retried. */
    void discard(R response);

    /** A response the mesh makes itself (rate limited, fault abort, no healthy endpoint). */
    R localReply(LocalReply reply);

    /** False when the request body can be sent only once, which rules out retrying a request that may have left. */
    default boolean replayable() {
        return true;
    }

    /** Classifies a failed attempt; override for clients with exceptions of their own. */
    default Outcome classify(IOException failure) {
        return Failures.classify(failure);
    }
}
