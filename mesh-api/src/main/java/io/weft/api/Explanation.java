package io.weft.api;

import java.util.List;

/**
 * How the mesh handles (or would handle) one request: the decisions in order, and every endpoint of the
 * chosen subset with the reason it could or could not take the request.
 *
 * @param service   the destination service, or null when the host is not a mesh service
 * @param route     the name of the matched route, or null when none matched
 * @param subset    the chosen subset; empty for all endpoints of the service
 * @param endpoint  the endpoint the balancer would pick, or null when none can take the request
 * @param endpoints the subset's endpoints with their state
 * @param steps     the decisions, one readable line each
 */
public record Explanation(String service, String route, String subset, Endpoint endpoint,
                          List<EndpointVerdict> endpoints, List<String> steps) {

    public Explanation {
        endpoints = List.copyOf(endpoints);
        steps = List.copyOf(steps);
    }

    /** An endpoint and whether it may take traffic now; {@code reason} says why not (ejected, breaker open, …). */
    public record EndpointVerdict(Endpoint endpoint, boolean available, String reason) {
        @Override
        public String toString() {
            return endpoint.address() + (available ? " available" : " unavailable: " + reason);
        }
    }

    /** The explanation as lines of text, for logs and consoles. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (String step : steps) {
            sb.append("- ").append(step).append('\n');
        }
        for (EndpointVerdict v : endpoints) {
            sb.append("  ").append(v).append('\n');
        }
        return sb.toString();
    }
}
