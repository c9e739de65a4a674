package io.weft.runtime.lb;

import io.weft.api.Endpoint;
import io.weft.api.LoadBalancer;
import io.weft.api.OutboundRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The balancers' own logic, on plain candidates. */
class BalancerTest {

    private static final LoadBalancers BALANCERS = LoadBalancers.builtInOnly();

    record Candidate(Endpoint endpoint, int activeRequests) implements LoadBalancer.Candidate {
    }

    record Request(Map<String, String> headers) implements OutboundRequest {
        public String method() {
            return "GET";
        }

        public String path() {
            return "/";
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    private static final Request NO_HEADERS = new Request(Map.of());

    private static List<Candidate> candidates(int n) {
        List<Candidate> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Candidate(Endpoint.of("10.0.0." + (i + 1), 8080), 0));
        }
        return list;
    }

    @Test
    void leastRequestNeverPicksTheBusierOfTwo() {
        List<Candidate> two = List.of(new Candidate(Endpoint.of("a", 1), 5), new Candidate(Endpoint.of("b", 1), 1));
        LoadBalancer lb = BALANCERS.get("least-request").create(two, Map.of());
        for (int i = 0; i < 1000; i++) {
            assertThat(lb.pick(NO_HEADERS).endpoint().host()).isEqualTo("b");
        }
    }

    @Test
    void leastRequestAccountsForWeight() {
        // a: 4 in flight at weight 4 (1 per unit) vs b: 2 in flight at weight 1 (2 per unit): a is less loaded.
        List<Candidate> two = List.of(new Candidate(new Endpoint("a", 1, Map.of(), 4), 4),
                new Candidate(new Endpoint("b", 1, Map.of(), 1), 2));
        LoadBalancer lb = BALANCERS.get("least-request").create(two, Map.of());
        for (int i = 0; i < 100; i++) {
            assertThat(lb.pick(NO_HEADERS).endpoint().host()).isEqualTo("a");
        }
    }

    @Test
    void leastRequestAvoidsTheMostLoadedOfMany() {
        List<Candidate> list = new ArrayList<>(candidates(4));
        list.set(0, new Candidate(list.get(0).endpoint(), 100));
        LoadBalancer lb = BALANCERS.get("least-request").create(list, Map.of());
        for (int i = 0; i < 1000; i++) {
            assertThat(lb.pick(NO_HEADERS)).isNotSameAs(list.get(0));
        }
    }

    @Test
    void smoothWeightedRoundRobinInterleaves() {
        List<Candidate> list = List.of(new Candidate(new Endpoint("a", 1, Map.of(), 5), 0),
                new Candidate(new Endpoint("b", 1, Map.of(), 1), 0),
                new Candidate(new Endpoint("c", 1, Map.of(), 1), 0));
        LoadBalancer lb = BALANCERS.get("round-robin").create(list, Map.of());
        StringBuilder seq = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            seq.append(lb.pick(NO_HEADERS).endpoint().host());
        }
        // nginx's smooth WRR for 5:1:1 is a a b a c a a, repeated; never a run of five a's.
        assertThat(seq.toString()).doesNotContain("aaaaa");
        assertThat(seq.chars().filter(c -> c == 'a').count()).isEqualTo(10);
    }

    @Test
    void randomHonoursWeights() {
        List<Candidate> list = List.of(new Candidate(new Endpoint("a", 1, Map.of(), 9), 0),
                new Candidate(new Endpoint("b", 1, Map.of(), 1), 0));
        LoadBalancer lb = BALANCERS.get("random").create(list, Map.of());
        int a = 0;
        for (int i = 0; i < 10_000; i++) {
            if (lb.pick(NO_HEADERS).endpoint().host().equals("a")) {
                a++;
            }
        }
        assertThat(a).isBetween(8800, 9200);
    }

    @Test
    void ringHashMovesOnlyTheKeysOfARemovedEndpoint() {
        List<Candidate> four = candidates(4);
        LoadBalancer before = BALANCERS.get("ring-hash").create(four, Map.of("hashHeader", "x-user"));
        LoadBalancer after = BALANCERS.get("ring-hash").create(four.subList(0, 3), Map.of("hashHeader", "x-user"));
        Map<String, Integer> perEndpoint = new HashMap<>();
        int moved = 0;
        for (int k = 0; k < 2000; k++) {
            Request r = new Request(Map.of("x-user", "user-" + k));
            LoadBalancer.Candidate b = before.pick(r);
            LoadBalancer.Candidate a = after.pick(r);
            perEndpoint.merge(b.endpoint().host(), 1, Integer::sum);
            if (b != four.get(3)) {
                assertThat(a).as("a key of a remaining endpoint stays").isSameAs(b);
            } else {
                moved++;
            }
        }
        assertThat(moved).isBetween(300, 700);
        assertThat(perEndpoint.values()).allSatisfy(n -> assertThat(n).isBetween(300, 700));
    }

    @Test
    void ringHashReadsCookies() {
        assertThat(RingHashBalancer.cookieValue("a=1; session=xyz; b=2", "session")).isEqualTo("xyz");
        assertThat(RingHashBalancer.cookieValue("a=1", "session")).isNull();
        assertThat(RingHashBalancer.cookieValue(null, "session")).isNull();
        LoadBalancer lb = BALANCERS.get("ring-hash").create(candidates(5), Map.of("hashCookie", "session"));
        Request r = new Request(Map.of("cookie", "theme=dark; session=abc"));
        LoadBalancer.Candidate first = lb.pick(r);
        for (int i = 0; i < 50; i++) {
            assertThat(lb.pick(r)).isSameAs(first);
        }
    }
}
