package io.weft.api;

/**
 * Chooses one endpoint for a request among the endpoints that may take traffic now.
 *
 * <p>An instance is made by a {@link LoadBalancerProvider} for one fixed set of candidates and is replaced when
 * that set changes (an endpoint ejected, a breaker opened, a new config), so whatever can be precomputed from the
 * set (a hash ring, a weight table) is built once. {@link #pick} is called concurrently on the hot path of every
 * call: it must not block and should not allocate.
 */
@FunctionalInterface
public interface LoadBalancer {

    /** Returns one of the candidates this balancer was made for. */
    Candidate pick(OutboundRequest request);

    /** An endpoint as a balancer sees it. */
    interface Candidate {
        Endpoint endpoint();

        /** Requests in flight to this endpoint from this process, for least-request balancing. */
        int activeRequests();
    }
}
