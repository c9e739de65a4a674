package io.weft.runtime.lb;

import io.weft.api.LoadBalancer;
import io.weft.api.LoadBalancerProvider;
import io.weft.api.OutboundRequest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Consistent hashing (Ketama): requests with the same key (a header or cookie value) go to the same endpoint,
 * and when an endpoint leaves only its keys move. Each endpoint owns points on a ring in proportion to its weight.
 * Requests without the key are spread at random.
 *
 * <p>Options: {@code hashHeader} or {@code hashCookie} (one of them), {@code pointsPerWeight} (default 128): the
 * points each unit of weight owns. It is fixed rather than derived from the ring's size so that an endpoint's
 * points do not change when others come and go, which is what keeps the other endpoints' keys in place.
 */
final class RingHashBalancer implements LoadBalancer {

    private static final int MAX_POINTS = 1 << 22;

    private final long[] points;
    private final Candidate[] owners;
    private final Candidate[] candidates;
    private final String header;
    private final String cookie;

    RingHashBalancer(List<? extends Candidate> candidates, String header, String cookie, int pointsPerWeight) {
        this.candidates = candidates.toArray(new Candidate[0]);
        this.header = header;
        this.cookie = cookie;
        long totalWeight = 0;
        for (Candidate c : candidates) {
            totalWeight += c.endpoint().weight();
        }
        int perUnit = pointsPerWeight;
        int size = (int) Math.min(MAX_POINTS, totalWeight * perUnit);
        long[] hashes = new long[size];
        Candidate[] byIndex = new Candidate[size];
        int k = 0;
        for (Candidate c : candidates) {
            String address = c.endpoint().address();
            for (int v = 0; v < c.endpoint().weight() * perUnit && k < size; v++) {
                hashes[k] = hash(address + "_" + v);
                byIndex[k] = c;
                k++;
            }
        }
        // Sort points and owners together.
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compareUnsigned(hashes[x], hashes[y]));
        this.points = new long[k];
        this.owners = new Candidate[k];
        for (int i = 0; i < k; i++) {
            points[i] = hashes[order[i]];
            owners[i] = byIndex[order[i]];
        }
    }

    @Override
    public Candidate pick(OutboundRequest request) {
        String key = header != null ? request.header(header) : cookieValue(request.header("cookie"), cookie);
        if (key == null) {
            return candidates[ThreadLocalRandom.current().nextInt(candidates.length)];
        }
        long h = hash(key);
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(points[mid], h) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return owners[lo == points.length ? 0 : lo];
    }

    static String cookieValue(String cookieHeader, String name) {
        if (cookieHeader == null || name == null) {
            return null;
        }
        int from = 0;
        while (from < cookieHeader.length()) {
            int end = cookieHeader.indexOf(';', from);
            if (end < 0) {
                end = cookieHeader.length();
            }
            int eq = cookieHeader.indexOf('=', from);
            if (eq > 0 && eq < end && cookieHeader.substring(from, eq).trim().equals(name)) {
                return cookieHeader.substring(eq + 1, end).trim();
            }
            from = end + 1;
        }
        return null;
    }

    /**
     * 64-bit FNV-1a over the key's UTF-8 bytes with a SplitMix64 finisher, for a well-spread ring. ASCII is
     * hashed straight from the chars (its UTF-8 bytes are the chars), so the usual key allocates nothing.
     */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        int n = s.length();
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            h ^= c;
            h *= 0x100000001b3L;
        }
        if (i < n) {
            for (byte b : s.substring(i).getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    static final class Provider implements LoadBalancerProvider {
        private static final Set<String> OPTIONS = Set.of("hashHeader", "hashCookie", "pointsPerWeight");

        @Override
        public String name() {
            return "ring-hash";
        }

        @Override
        public LoadBalancer create(List<? extends Candidate> candidates, Map<String, String> options) {
            String header = options.get("hashHeader");
            return new RingHashBalancer(candidates, header == null ? null : header.toLowerCase(java.util.Locale.ROOT),
                    options.get("hashCookie"), Integer.parseInt(options.getOrDefault("pointsPerWeight", "128")));
        }

        @Override
        public void validate(Map<String, String> options) {
            for (String key : options.keySet()) {
                if (!OPTIONS.contains(key)) {
                    throw new IllegalArgumentException("unknown ring-hash option '" + key + "' (known: " + OPTIONS + ")");
                }
            }
            if (options.containsKey("hashHeader") == options.containsKey("hashCookie")) {
                throw new IllegalArgumentException("ring-hash needs exactly one of hashHeader or hashCookie");
            }
            String size = options.get("pointsPerWeight");
            if (size != null) {
                int n;
                try {
                    n = Integer.parseInt(size);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("pointsPerWeight '" + size + "' is not a whole number");
                }
                if (n < 1 || n > 4096) {
                    throw new IllegalArgumentException("pointsPerWeight " + n + " is outside 1..4096");
                }
            }
        }
    }
}
