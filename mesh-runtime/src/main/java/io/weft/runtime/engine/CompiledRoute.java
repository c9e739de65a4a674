package io.weft.runtime.engine;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.weft.api.OutboundRequest;
import io.weft.runtime.config.RouteConfig;
import io.weft.runtime.resilience.FaultInjector;
import io.weft.runtime.resilience.RetryPolicy;

import java.util.concurrent.ThreadLocalRandom;

/** A route ready for the hot path: matcher, weighted destinations and policies, all built once per snapshot. */
final class CompiledRoute {

    final String name;
    final RouteConfig config;
    final RequestMatcher matcher;
    final EndpointGroup[] destinations;
    final int[] cumulativeWeights;
    final long timeoutNanos;
    final RetryPolicy retry;
    final FaultInjector fault;
    final RateLimiter rateLimiter;

    CompiledRoute(String name, RouteConfig config, EndpointGroup[] destinations, int[] cumulativeWeights,
                  RetryPolicy retry, FaultInjector fault, RateLimiter rateLimiter) {
        this.name = name;
        this.config = config;
        this.matcher = new RequestMatcher(config.match());
        this.destinations = destinations;
        this.cumulativeWeights = cumulativeWeights;
        this.timeoutNanos = config.timeout() == null ? 0 : config.timeout().toNanos();
        this.retry = retry;
        this.fault = fault;
        this.rateLimiter = rateLimiter;
    }

    /** Draws a destination by weight. */
    EndpointGroup chooseDestination() {
        if (destinations.length == 1) {
            return destinations[0];
        }
        int point = ThreadLocalRandom.current().nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (point < cumulativeWeights[i]) {
                return destinations[i];
            }
        }
        return destinations[destinations.length - 1];
    }

    boolean matches(OutboundRequest request) {
        return matcher.matches(request);
    }

    /** The split as text, such as {@code v1 90%, v2 10%}. */
    String describeSplit() {
        StringBuilder sb = new StringBuilder();
        int total = cumulativeWeights[cumulativeWeights.length - 1];
        int previous = 0;
        for (int i = 0; i < destinations.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String subset = destinations[i].subset();
            double share = 100.0 * (cumulativeWeights[i] - previous) / total;
            previous = cumulativeWeights[i];
            sb.append(subset.isEmpty() ? "all endpoints" : subset).append(' ')
                    .append(share == Math.rint(share) ? Long.toString((long) share) : String.format("%.1f", share)).append('%');
        }
        return sb.toString();
    }
}
