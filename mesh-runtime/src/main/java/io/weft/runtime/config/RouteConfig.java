package io.weft.runtime.config;

import java.time.Duration;
import java.util.List;

/**
 * A route: requests that match go to the weighted destinations, under this route's timeout, retries, fault
 * injection and rate limit. A route without {@code match} matches every request; without {@code to} it sends
 * everything to all endpoints of the service.
 *
 * @param timeout overall deadline of a call, all attempts included; null for none
 */
public record RouteConfig(String name,
                          MatchConfig match,
                          List<DestinationConfig> to,
                          Duration timeout,
                          RetryConfig retries,
                          FaultConfig fault,
                          RateLimitConfig rateLimit) {

    public RouteConfig {
        match = match == null ? MatchConfig.ANY : match;
        to = to == null || to.isEmpty() ? List.of(DestinationConfig.ALL_ENDPOINTS) : List.copyOf(to);
        retries = retries == null ? RetryConfig.DEFAULTS : retries;
    }

    /** The route every service has after its own: all requests to all endpoints, default policy. */
    public static RouteConfig fallback() {
        return new RouteConfig("default", null, null, null, null, null, null);
    }
}
