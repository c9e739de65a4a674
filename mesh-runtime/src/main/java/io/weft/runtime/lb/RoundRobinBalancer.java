package io.weft.runtime.lb;

import io.weft.api.LoadBalancer;
import io.weft.api.LoadBalancerProvider;
import io.weft.api.OutboundRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Round robin over a precomputed schedule. With unequal weights the schedule is nginx's smooth weighted round
 * robin, computed once, so heavy endpoints are interleaved rather than hit in bursts; a pick is one atomic increment.
 */
final class RoundRobinBalancer implements LoadBalancer {

    /** Longest schedule we precompute; larger weight sums are scaled down to fit. */
    private static final int MAX_SCHEDULE = 4096;

    private final Candidate[] schedule;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinBalancer(List<? extends Candidate> candidates) {
        this.schedule = Weights.allEqual(candidates)
                ? candidates.toArray(new Candidate[0])
                : smoothSchedule(candidates);
        // Start at a random place so processes that start together do not hit the same endpoint in step.
        next.set(java.util.concurrent.ThreadLocalRandom.current().nextInt(schedule.length));
    }

    @Override
    public Candidate pick(OutboundRequest request) {
        return schedule[Math.floorMod(next.getAndIncrement(), schedule.length)];
    }

    private static Candidate[] smoothSchedule(List<? extends Candidate> candidates) {
        int n = candidates.size();
        long total = 0;
        for (Candidate c : candidates) {
            total += c.endpoint().weight();
        }
        double scale = total > MAX_SCHEDULE ? (double) MAX_SCHEDULE / total : 1.0;
        int[] weights = new int[n];
        int sum = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.max(1, (int) Math.round(candidates.get(i).endpoint().weight() * scale));
            sum += weights[i];
        }
        int[] current = new int[n];
        List<Candidate> schedule = new ArrayList<>(sum);
        for (int step = 0; step < sum; step++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= sum;
            schedule.add(candidates.get(best));
        }
        return schedule.toArray(new Candidate[0]);
    }

    static final class Provider implements LoadBalancerProvider {
        @Override
        public String name() {
            return "round-robin";
        }

        @Override
        public LoadBalancer create(List<? extends Candidate> candidates, Map<String, String> options) {
            return new RoundRobinBalancer(candidates);
        }
    }
}
