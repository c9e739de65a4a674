package io.weft.runtime.lb;

import io.weft.api.LoadBalancer;
import io.weft.api.LoadBalancerProvider;
import io.weft.api.OutboundRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Uniform random choice, or weighted by endpoint weight when weights differ. */
final class RandomBalancer implements LoadBalancer {

    private final Candidate[] candidates;
    private final int[] cumulative;

    RandomBalancer(List<? extends Candidate> candidates) {
        this.candidates = candidates.toArray(new Candidate[0]);
        this.cumulative = Weights.allEqual(candidates) ? null : Weights.cumulative(candidates);
    }

    @Override
    public Candidate pick(OutboundRequest request) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (cumulative == null) {
            return candidates[random.nextInt(candidates.length)];
        }
        return candidates[Weights.indexOf(cumulative, random.nextInt(cumulative[cumulative.length - 1]))];
    }

    static final class Provider implements LoadBalancerProvider {
        @Override
        public String name() {
            return "random";
        }

        @Override
        public LoadBalancer create(List<? extends Candidate> candidates, Map<String, String> options) {
            return new RandomBalancer(candidates);
        }
    }
}
