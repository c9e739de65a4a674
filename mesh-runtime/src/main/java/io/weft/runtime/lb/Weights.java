package io.weft.runtime.lb;

import io.weft.api.LoadBalancer;

import java.util.List;

/** Weight helpers shared by the balancers. */
final class Weights {

    private Weights() {
    }

    static boolean allEqual(List<? extends LoadBalancer.Candidate> candidates) {
        int first = candidates.get(0).endpoint().weight();
        for (LoadBalancer.Candidate c : candidates) {
            if (c.endpoint().weight() != first) {
                return false;
            }
        }
        return true;
    }

    /** Running sums of the weights: entry i is the total weight of candidates 0..i. */
    static int[] cumulative(List<? extends LoadBalancer.Candidate> candidates) {
        int[] sums = new int[candidates.size()];
        int total = 0;
        for (int i = 0; i < sums.length; i++) {
            total = Math.addExact(total, candidates.get(i).endpoint().weight());
            sums[i] = total;
        }
        return sums;
    }

    /** The index whose share of the cumulative range holds {@code point} (0 ≤ point < total). */
    static int indexOf(int[] cumulative, int point) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > point) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
