package io.weft.runtime.engine;

import io.weft.runtime.resilience.Outcome;

import java.util.concurrent.CompletableFuture;

/**
 * The non-blocking twin of {@link Transport}, for clients with their own async I/O (JDK HttpClient's
 * {@code sendAsync}, Netty): an attempt is a future, and the engine waits for nothing.
 *
 * @param <R> the client's response type
 */
public interface AsyncTransport<R> {

    /** Starts the attempt; the future completes with the response or fails with the I/O error. */
    CompletableFuture<R> send(Attempt attempt);

    int status(R response);

    void discard(R response);

    R localReply(LocalReply reply);

    default boolean replayable() {
        return true;
    }

    default Outcome classify(Throwable failure) {
        return Failures.classify(failure);
    }
}
