package io.weft.runtime.engine;

import io.weft.api.Endpoint;

/**
 * State changes of the data plane that are not calls: breakers opening and closing, endpoints ejected and
 * returned, retries the budget refused. Metrics and logs subscribe with {@link MeshEngine#addEvents}; the methods
 * run on the thread that made the change, so they must be quick.
 */
public interface MeshEvents {

    /**
     * An endpoint's breaker moved, as the engine saw it after a call or its open-time timer.
     *
     * @param from lower-case state name: {@code closed}, {@code open}, {@code half_open} (or forced/disabled ones)
     */
    default void breakerTransition(String service, Endpoint endpoint, String from, String to) {
    }

    /** Outlier detection took the endpoint out of rotation for {@code forMillis}. */
    default void ejected(String service, Endpoint endpoint, long forMillis) {
    }

    /** An ejected endpoint's time is up; it takes traffic again. */
    default void returned(String service, Endpoint endpoint) {
    }

    /** A call would have been retried, but the service's retry budget was spent. */
    default void retryBudgetExhausted(String service, String route) {
    }
}
