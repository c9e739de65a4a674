package io.weft.perf.load;

import java.util.concurrent.CompletableFuture;

/** One request of a scenario, started without blocking; completes with the HTTP status. */
@FunctionalInterface
public interface AsyncCall {
    CompletableFuture<Integer> start();
}
