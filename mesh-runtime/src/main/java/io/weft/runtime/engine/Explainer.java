package io.weft.runtime.engine;

import io.weft.api.Explanation;
import io.weft.api.OutboundRequest;

import java.util.ArrayList;
import java.util.List;

/** Builds the "which route, which subset, which endpoint, and why not the others" answer for a request. */
final class Explainer {

    private Explainer() {
    }

    static Explanation explain(Snapshot snapshot, String host, OutboundRequest request) {
        List<String> steps = new ArrayList<>();
        ServicePlan plan = snapshot.service(host);
        if (plan == null) {
            steps.add("host '" + host + "' is not a mesh service in snapshot " + snapshot.generation()
                    + ": the request is sent as it is");
            return new Explanation(null, null, null, null, List.of(), steps);
        }
        steps.add("host '" + host + "' is mesh service " + plan.name + " (snapshot " + snapshot.generation() + ")");
        CompiledRoute matched = null;
        for (CompiledRoute r : plan.routes) {
            String why = r.matcher.mismatch(request);
            if (why == null) {
                matched = r;
                break;
            }
            steps.add("route '" + r.name + "' did not match: " + why);
        }
        // The fallback route matches everything, so there is always a match.
        steps.add("route '" + matched.name + "' matched " + request.method() + " " + request.path());
        EndpointGroup group = matched.chooseDestination();
        steps.add(matched.destinations.length == 1
                ? "destination: " + describe(group)
                : "weighted split " + matched.describeSplit() + ": drew " + describe(group));
        steps.add(policies(plan, matched));

        List<Explanation.EndpointVerdict> verdicts = new ArrayList<>();
        for (EndpointState e : group.members()) {
            String reason = e.unavailableReason();
            verdicts.add(new Explanation.EndpointVerdict(e.endpoint(), reason == null, reason));
        }
        EndpointState picked = group.peek(request);
        if (group.members().isEmpty()) {
            steps.add("no endpoint: " + describe(group) + " has no endpoints (check its labels)");
        } else if (picked == null) {
            steps.add("no endpoint: none of the " + group.members().size() + " endpoints is available; the call would get 503");
        } else {
            steps.add(group.balancerName() + " picked " + picked.endpoint().address() + " among "
                    + group.available().size() + " available of " + group.members().size() + " endpoints");
        }
        return new Explanation(plan.name, matched.name, group.subset(), picked == null ? null : picked.endpoint(),
                verdicts, steps);
    }

    private static String describe(EndpointGroup g) {
        return g.subset().isEmpty() ? "all endpoints" : "subset " + g.subset();
    }

    private static String policies(ServicePlan plan, CompiledRoute r) {
        StringBuilder sb = new StringBuilder("policy: ");
        sb.append(r.timeoutNanos > 0 ? "timeout " + r.timeoutNanos / 1_000_000 + " ms" : "no timeout");
        sb.append(", ").append(r.retry.attempts()).append(" retries on ").append(r.retry.config().on());
        if (r.retry.perTryTimeoutNanos() > 0) {
            sb.append(" (per try ").append(r.retry.perTryTimeoutNanos() / 1_000_000).append(" ms)");
        }
        if (r.rateLimiter != null) {
            sb.append(", rate limit ").append(r.config.rateLimit().requestsPerSecond()).append("/s");
        }
        if (r.fault != null) {
            sb.append(", ").append(r.fault);
        }
        if (plan.config.policy().circuitBreaker() != null) {
            sb.append(", breakers on");
        }
        if (plan.config.policy().outlierDetection().enabled()) {
            sb.append(", outlier detection after ").append(plan.config.policy().outlierDetection().consecutiveErrors())
                    .append(" errors");
        }
        return sb.toString();
    }
}
