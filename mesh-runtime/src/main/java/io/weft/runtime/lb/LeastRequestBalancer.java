package io.weft.runtime.lb;

import io.weft.api.LoadBalancer;
import io.weft.api.LoadBalancerProvider;
import io.weft.api.OutboundRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices: draw two distinct endpoints at random and take the one with fewer requests in flight
 * relative to its weight. Nearly as good as scanning all endpoints, at constant cost and without herding.
 */
final class LeastRequestBalancer implements LoadBalancer {

    private final Candidate[] candidates;

    LeastRequestBalancer(List<? extends Candidate> candidates) {
        this.candidates = candidates.toArray(new Candidate[0]);
    }

    @Override
    public Candidate pick(OutboundRequest request) {
        int n = candidates.length;
        if (n == 1) {
            return candidates[0];
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Candidate a = candidates[i];
        Candidate b = candidates[j];
        // Compare active/weight without division: a.active * b.weight vs b.active * a.weight.
        long loadA = (long) a.activeRequests() * b.endpoint().weight();
        long loadB = (long) b.activeRequests() * a.endpoint().weight();
        if (loadA != loadB) {
            return loadA < loadB ? a : b;
        }
        return a;
    }

    static final class Provider implements LoadBalancerProvider {
        @Override
        public String name() {
            return "least-request";
        }

        @Override
        public LoadBalancer create(List<? extends Candidate> candidates, Map<String, String> options) {
            return new LeastRequestBalancer(candidates);
        }
    }
}
