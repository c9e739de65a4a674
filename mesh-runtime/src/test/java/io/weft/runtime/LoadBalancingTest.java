package io.weft.runtime;

import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.support.Backends;
import io.weft.runtime.support.MeshTestBase;
import io.weft.runtime.support.Mesh;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing and balancing against three real backends on 127.0.0.1. */
class LoadBalancingTest extends MeshTestBase {


    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.hostSuffix(".svc.cluster.local");
    }


    @Test
    void roundRobinSpreadsEvenly() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends) + "policy: { loadBalancer: round-robin }\n");
        for (int i = 0; i < 300; i++) {
            MeshResponse r = get("http://orders/items");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.endpoint()).isNotNull();
            assertThat(r.bodyAsString()).isEqualTo("b" + backends.all().stream()
                    .filter(b -> b.port() == r.endpoint().port()).findFirst().orElseThrow().name().substring(1));
        }
        assertThat(backends.counts()).containsExactly(100, 100, 100);
    }

    @Test
    void weightedEndpointsGetTheirShare() throws Exception {
        mesh("service: orders\nendpoints:\n"
                + "  - { address: " + backends.get(0).address() + ", weight: 3 }\n"
                + "  - { address: " + backends.get(1).address() + ", weight: 1 }\n"
                + "policy: { loadBalancer: round-robin }\n");
        for (int i = 0; i < 400; i++) {
            get("http://orders/");
        }
        assertThat(backends.get(0).count()).isEqualTo(300);
        assertThat(backends.get(1).count()).isEqualTo(100);
    }

    @Test
    void leastRequestPrefersTheLessLoadedEndpoint() throws Exception {
        // b0 holds every request for 200 ms; the others answer at once. Under concurrency P2C sees b0's queue.
        backends.get(0).respond(r -> new MockResponse().setBody("slow").setHeadersDelay(200, TimeUnit.MILLISECONDS));
        mesh("service: orders\n" + Mesh.endpoints(backends) + "policy: { loadBalancer: least-request }\n");
        List<CompletableFuture<MeshResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    for (int j = 0; j < 40; j++) {
                        get("http://orders/");
                    }
                    return null;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        int[] counts = backends.counts();
        assertThat(counts[0] + counts[1] + counts[2]).isEqualTo(320);
        // Round robin would send a third (~107) to b0; P2C sends it far less.
        assertThat(counts[0]).isLessThan(60);
    }

    @Test
    void ringHashIsStickyPerKey() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { loadBalancer: { type: ring-hash, hashHeader: x-user } }\n");
        Map<String, Integer> firstPort = new HashMap<>();
        Set<Integer> used = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            for (int user = 0; user < 50; user++) {
                MeshResponse r = get("http://orders/cart", "x-user", "user-" + user);
                Integer before = firstPort.putIfAbsent("user-" + user, r.endpoint().port());
                if (before != null) {
                    assertThat(r.endpoint().port()).as("user-%d sticks to its endpoint", user).isEqualTo(before);
                }
                used.add(r.endpoint().port());
            }
        }
        assertThat(used).as("50 keys spread over all endpoints").hasSize(3);
    }

    @Test
    void weightedSplitLandsWithinTolerance() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends, "v1", "v1", "v2")
                + "subsets: { v1: { version: v1 }, v2: { version: v2 } }\n"
                + "routes:\n  - name: canary\n    to: [ { subset: v1, weight: 90 }, { subset: v2, weight: 10 } ]\n");
        int n = 3000;
        for (int i = 0; i < n; i++) {
            get("http://orders/");
        }
        int v2 = backends.get(2).count();
        // Binomial(3000, 0.1): mean 300, sd 16.4; five sd either side.
        assertThat(v2).isBetween(218, 382);
        assertThat(backends.get(0).count() + backends.get(1).count()).isEqualTo(n - v2);
    }

    @Test
    void routesMatchPathMethodAndHeadersFirstMatchWins() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends, "v1", "v1", "v2")
                + "subsets: { v1: { version: v1 }, v2: { version: v2 } }\n"
                + "routes:\n"
                + "  - name: beta\n"
                + "    match: { path: { prefix: /api }, headers: { x-beta: { exact: \"true\" } } }\n"
                + "    to: [ { subset: v2 } ]\n"
                + "  - name: writes\n"
                + "    match: { methods: [POST], path: { regex: \"/api/orders/[0-9]+\" } }\n"
                + "    to: [ { subset: v2 } ]\n"
                + "  - name: rest\n"
                + "    to: [ { subset: v1 } ]\n");
        for (int i = 0; i < 20; i++) {
            assertThat(get("http://orders/api/x", "x-beta", "true").bodyAsString()).isEqualTo("b2");
            assertThat(get("http://orders/api/x", "x-beta", "false").bodyAsString()).isIn("b0", "b1");
            assertThat(get("http://orders/other", "x-beta", "true").bodyAsString()).isIn("b0", "b1");
            assertThat(client.execute(MeshRequest.post("http://orders/api/orders/17", "text/plain", "x").build())
                    .bodyAsString()).isEqualTo("b2");
            assertThat(client.execute(MeshRequest.post("http://orders/api/orders/new", "text/plain", "x").build())
                    .bodyAsString()).isIn("b0", "b1");
        }
        assertThat(client.explain(MeshRequest.get("http://orders/api/x").header("x-beta", "no").build()).steps())
                .anyMatch(s -> s.contains("route 'beta' did not match") && s.contains("header x-beta is 'no', wanted 'true'"))
                .anyMatch(s -> s.contains("route 'rest' matched"));
    }

    @Test
    void hostAliasesReachTheService() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends));
        assertThat(get("http://orders.svc.cluster.local/x").status()).isEqualTo(200);
    }

    @Test
    void nonMeshHostsPassThroughUntouched() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends));
        OkHttpClient plain = new OkHttpClient.Builder().addInterceptor(runtime.okHttpInterceptor())
                .callTimeout(Duration.ofSeconds(5)).build();
        String direct = "http://127.0.0.1:" + backends.get(1).port() + "/direct?q=1";
        try (Response r = plain.newCall(new Request.Builder().url(direct).header("x-app", "kept").build()).execute()) {
            assertThat(r.body().string()).isEqualTo("b1");
        }
        var recorded = backends.get(1).server().takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getPath()).isEqualTo("/direct?q=1");
        assertThat(recorded.getHeader("x-app")).isEqualTo("kept");
        assertThat(recorded.getHeader("Host")).isEqualTo("127.0.0.1:" + backends.get(1).port());
        assertThat(backends.counts()).containsExactly(0, 1, 0);
    }

    @Test
    void meshCallsKeepPathQueryHeadersAndServiceHost() throws Exception {
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n");
        client.execute(MeshRequest.post("http://orders/api/items?page=2", "application/json", "{\"a\":1}")
                .header("x-request-id", "abc").build());
        var recorded = backends.get(0).server().takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getPath()).isEqualTo("/api/items?page=2");
        assertThat(recorded.getHeader("x-request-id")).isEqualTo("abc");
        assertThat(recorded.getHeader("Host")).isEqualTo("orders");
        assertThat(recorded.getBody().readUtf8()).isEqualTo("{\"a\":1}");
    }

    @Test
    void asyncCallsGoThroughTheMesh() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends) + "policy: { loadBalancer: round-robin }\n");
        List<CompletableFuture<MeshResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            futures.add(client.executeAsync(MeshRequest.get("http://orders/async").build()));
        }
        for (CompletableFuture<MeshResponse> f : futures) {
            assertThat(f.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(backends.counts()).containsExactly(10, 10, 10);
    }

    @Test
    void newConfigTakesEffectWithoutRestart() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends, "v1", "v1", "v2")
                + "subsets: { v1: { version: v1 }, v2: { version: v2 } }\n"
                + "routes: [ { to: [ { subset: v1 } ] } ]\n");
        for (int i = 0; i < 20; i++) {
            assertThat(get("http://orders/").bodyAsString()).isIn("b0", "b1");
        }
        runtime.apply(Mesh.yaml("service: orders\n" + Mesh.endpoints(backends, "v1", "v1", "v2")
                + "subsets: { v1: { version: v1 }, v2: { version: v2 } }\n"
                + "routes: [ { to: [ { subset: v2 } ] } ]\n"));
        for (int i = 0; i < 20; i++) {
            assertThat(get("http://orders/").bodyAsString()).isEqualTo("b2");
        }
    }
}
