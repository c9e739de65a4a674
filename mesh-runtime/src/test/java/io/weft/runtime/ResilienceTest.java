package io.weft.runtime;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.weft.api.Explanation;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.engine.EndpointState;
import io.weft.runtime.engine.MeshTimeoutException;
import io.weft.runtime.support.Await;
import io.weft.runtime.support.Backends;
import io.weft.runtime.support.MeshTestBase;
import io.weft.runtime.support.Mesh;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Breakers, ejection, health checks, timeouts, faults and limits against real backends on 127.0.0.1. */
class ResilienceTest extends MeshTestBase {




    private EndpointState state(int backend) {
        return runtime.engine().snapshot().service("orders").endpoints().stream()
                .filter(e -> e.endpoint().port() == backends.get(backend).port()).findFirst().orElseThrow();
    }

    @Test
    void breakerOpensThenHalfOpensAndCloses() throws Exception {
        backends.get(0).respondStatus(500);
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n"
                + "policy:\n  outlierDetection: { enabled: false }\n"
                + "  circuitBreaker: { failureRatePercent: 50, minimumCalls: 5, windowSize: 10, openFor: 400ms, halfOpenCalls: 2 }\n");
        for (int i = 0; i < 5; i++) {
            assertThat(get("http://orders/").status()).isEqualTo(500);
        }
        assertThat(state(0).breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        MeshResponse rejected = get("http://orders/");
        assertThat(rejected.status()).isEqualTo(503);
        assertThat(rejected.localReply()).isEqualTo("no-healthy-upstream");
        assertThat(backends.get(0).count()).as("an open breaker sends nothing").isEqualTo(5);
        assertThat(client.explain(MeshRequest.get("http://orders/").build()).endpoints())
                .singleElement().satisfies(v -> assertThat(v.reason()).isEqualTo("circuit breaker open"));

        backends.get(0).respondOk();
        Await.until(Duration.ofSeconds(5), "breaker half-open",
                () -> state(0).breaker().getState() == CircuitBreaker.State.HALF_OPEN);
        assertThat(get("http://orders/").status()).isEqualTo(200);
        assertThat(get("http://orders/").status()).isEqualTo(200);
        assertThat(state(0).breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(get("http://orders/").status()).isEqualTo(200);
    }

    @Test
    void breakerReopensWhenHalfOpenProbesFail() throws Exception {
        backends.get(0).respondStatus(500);
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n"
                + "policy:\n  outlierDetection: { enabled: false }\n"
                + "  circuitBreaker: { minimumCalls: 4, windowSize: 4, openFor: 300ms, halfOpenCalls: 1 }\n");
        for (int i = 0; i < 4; i++) {
            get("http://orders/");
        }
        Await.until(Duration.ofSeconds(5), "breaker half-open",
                () -> state(0).breaker().getState() == CircuitBreaker.State.HALF_OPEN);
        assertThat(get("http://orders/").status()).isEqualTo(500);
        assertThat(state(0).breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void callsTheAppCancelsWhileUpstreamNeitherEjectTheEndpointNorCountAgainstItsBreaker() throws Exception {
        backends.get(0).respond(r -> "/slow".equals(r.getPath())
                ? new okhttp3.mockwebserver.MockResponse().setHeadersDelay(3, java.util.concurrent.TimeUnit.SECONDS)
                : new okhttp3.mockwebserver.MockResponse().setBody("ok"));
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n"
                + "policy:\n  outlierDetection: { consecutiveErrors: 2 }\n"
                + "  circuitBreaker: { failureRatePercent: 50, minimumCalls: 2, windowSize: 4, openFor: 30s }\n");
        okhttp3.OkHttpClient app = new okhttp3.OkHttpClient.Builder().addInterceptor(runtime.okHttpInterceptor()).build();
        int cancelled = 4;
        for (int i = 1; i <= cancelled; i++) {
            okhttp3.Call call = app.newCall(new okhttp3.Request.Builder().url("http://orders/slow").build());
            java.util.concurrent.CompletableFuture<Throwable> failed = new java.util.concurrent.CompletableFuture<>();
            call.enqueue(new okhttp3.Callback() {
                @Override
                public void onFailure(okhttp3.Call c, java.io.IOException e) {
                    failed.complete(e);
                }

                @Override
                public void onResponse(okhttp3.Call c, okhttp3.Response r) {
                    r.close();
                    failed.complete(null);
                }
            });
            int reached = i;
            Await.until(Duration.ofSeconds(5), "call " + reached + " upstream", () -> backends.get(0).count() >= reached);
            call.cancel();
            assertThat(failed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(state(0).isEjected()).isFalse();
        assertThat(state(0).breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(get("http://orders/fast").status()).isEqualTo(200);
        assertThat(backends.get(0).count()).as("nothing retried for a cancelled call").isEqualTo(cancelled + 1);
    }

    @Test
    void failingEndpointIsEjectedAndComesBack() throws Exception {
        backends.get(0).respondStatus(503);
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy:\n  loadBalancer: round-robin\n"
                + "  outlierDetection: { consecutiveErrors: 3, baseEjectionTime: 500ms, maxEjectionPercent: 50 }\n"
                + "routes: [ { retries: { attempts: 2, on: [ 503 ] } } ]\n");
        for (int i = 0; i < 30; i++) {
            assertThat(get("http://orders/").status()).as("retries hide the failing endpoint").isEqualTo(200);
        }
        assertThat(state(0).isEjected()).isTrue();
        assertThat(backends.get(0).count()).isEqualTo(3);
        Explanation e = client.explain(MeshRequest.get("http://orders/").build());
        assertThat(e.endpoints()).filteredOn(v -> v.endpoint().port() == backends.get(0).port())
                .singleElement().satisfies(v -> {
                    assertThat(v.available()).isFalse();
                    assertThat(v.reason()).startsWith("ejected by outlier detection");
                });
        assertThat(e.endpoint().port()).isNotEqualTo(backends.get(0).port());

        backends.get(0).respondOk();
        Await.until(Duration.ofSeconds(5), "b0 back in rotation", () -> !state(0).isEjected());
        backends.resetCounts();
        for (int i = 0; i < 30; i++) {
            assertThat(get("http://orders/").status()).isEqualTo(200);
        }
        // Round robin over three: 10 each. The return is seen through the ejection flag, and the balancer's
        // rebuild (at a random offset) follows the epoch bumped just after it, maybe a call later: one either way.
        assertThat(backends.get(0).count()).isBetween(9, 11);
    }

    @Test
    void ejectionNeverExceedsTheMaximumShare() throws Exception {
        backends.all().forEach(b -> b.respondStatus(503));
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { outlierDetection: { consecutiveErrors: 1, baseEjectionTime: 10s, maxEjectionPercent: 50 } }\n");
        for (int i = 0; i < 20; i++) {
            get("http://orders/");
        }
        long ejected = runtime.engine().snapshot().service("orders").endpoints().stream().filter(EndpointState::isEjected).count();
        assertThat(ejected).as("50% of 3 endpoints is one").isEqualTo(1);
    }

    @Test
    void ejectionLimitHoldsAcrossConfigChanges() throws Exception {
        backends.get(0).respondStatus(503);
        String policy = "policy: { loadBalancer: round-robin, outlierDetection: { consecutiveErrors: 2, baseEjectionTime: 300ms, maxEjectionPercent: 50 } }\n";
        mesh("service: orders\n" + Mesh.endpoints(backends, "v1", "v1", "v1") + policy);
        Await.until(Duration.ofSeconds(5), "b0 ejected", () -> {
            try {
                get("http://orders/");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return state(0).isEjected();
        });
        // Relabelling b0 while it is ejected gives it a fresh state; the old ejection's end must not skew the count.
        runtime.apply(Mesh.yaml("service: orders\n" + Mesh.endpoints(backends, "v2", "v1", "v1") + policy));
        Thread.sleep(500);
        backends.all().forEach(b -> b.respondStatus(503));
        for (int i = 0; i < 30; i++) {
            get("http://orders/");
        }
        long ejected = runtime.engine().snapshot().service("orders").endpoints().stream().filter(EndpointState::isEjected).count();
        assertThat(ejected).isEqualTo(1);
    }

    @Test
    void explainingDoesNotDisturbTheBalancer() throws Exception {
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " }, { address: "
                + backends.get(1).address() + " } ]\npolicy: { loadBalancer: round-robin }\n");
        for (int i = 0; i < 20; i++) {
            get("http://orders/");
            assertThat(client.explain(MeshRequest.get("http://orders/").build()).endpoint()).isNotNull();
        }
        assertThat(backends.get(0).count()).isEqualTo(10);
        assertThat(backends.get(1).count()).isEqualTo(10);
    }

    @Test
    void activeHealthChecksTakeAnEndpointOutAndBringItBack() throws Exception {
        backends.get(1).respond(r -> r.getPath().equals("/health")
                ? new MockResponse().setResponseCode(500) : backends.get(1).ok());
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy:\n  loadBalancer: round-robin\n"
                + "  healthCheck: { path: /health, interval: 100ms, timeout: 500ms, unhealthyThreshold: 2, healthyThreshold: 1 }\n");
        Await.until(Duration.ofSeconds(5), "b1 unhealthy", () -> !state(1).isHealthy());
        backends.resetCounts();
        for (int i = 0; i < 20; i++) {
            get("http://orders/api");
        }
        assertThat(backends.get(1).count()).as("only health checks reach b1").isLessThan(10);
        assertThat(backends.get(0).count() + backends.get(2).count()).isGreaterThanOrEqualTo(20);

        backends.get(1).respondOk();
        Await.until(Duration.ofSeconds(5), "b1 healthy again", () -> state(1).isHealthy());
    }

    @Test
    void perTryTimeoutMovesOnToAFasterEndpoint() throws Exception {
        backends.get(0).respond(r -> new MockResponse().setBody("slow").setHeadersDelay(1, TimeUnit.SECONDS));
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
                + "routes: [ { timeout: 2s, retries: { attempts: 2, on: [ timeout ], perTryTimeout: 200ms } } ]\n");
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            MeshResponse r = get("http://orders/");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyAsString()).isNotEqualTo("slow");
            assertThat(ms).as("a slow try is cut at 200 ms, not 1 s").isLessThan(900);
        }
        assertThat(backends.get(0).count()).isGreaterThan(0);
    }

    @Test
    void overallTimeoutEndsTheCallWithAClearError() throws Exception {
        backends.all().forEach(b -> b.respond(r -> new MockResponse().setBody("slow").setHeadersDelay(1, TimeUnit.SECONDS)));
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { outlierDetection: { enabled: false } }\n"
                + "routes: [ { name: api, timeout: 300ms, retries: { attempts: 5, on: [ timeout ], perTryTimeout: 200ms } } ]\n");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> get("http://orders/"))
                .isInstanceOf(MeshTimeoutException.class)
                .hasMessageContaining("orders")
                .hasMessageContaining("300 ms timeout of route 'api'");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(900);
    }

    @Test
    void faultAbortRateIsWithinTolerance() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "routes: [ { fault: { abort: { percent: 20, status: 503 } } } ]\n");
        int n = 1000;
        int aborted = 0;
        for (int i = 0; i < n; i++) {
            MeshResponse r = get("http://orders/");
            if (r.status() == 503) {
                assertThat(r.localReply()).isEqualTo("fault-abort");
                aborted++;
            } else {
                assertThat(r.status()).isEqualTo(200);
            }
        }
        // Binomial(1000, 0.2): mean 200, sd 12.6; five sd either side.
        assertThat(aborted).isBetween(137, 263);
        int reached = backends.get(0).count() + backends.get(1).count() + backends.get(2).count();
        assertThat(reached).isEqualTo(n - aborted);
    }

    @Test
    void faultDelayHoldsTheRequest() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "routes: [ { fault: { delay: { percent: 100, duration: 150ms } } } ]\n");
        get("http://orders/");
        long t0 = System.nanoTime();
        assertThat(get("http://orders/").status()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(150);
    }

    @Test
    void rateLimitAnswers429() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "routes: [ { name: api, rateLimit: { requestsPerSecond: 5 } } ]\n");
        int limited = 0;
        for (int i = 0; i < 30; i++) {
            MeshResponse r = get("http://orders/");
            if (r.status() == 429) {
                assertThat(r.localReply()).isEqualTo("rate-limited");
                assertThat(r.bodyAsString()).contains("route 'api'");
                limited++;
            }
        }
        int reached = backends.get(0).count() + backends.get(1).count() + backends.get(2).count();
        assertThat(limited).isGreaterThanOrEqualTo(20);
        assertThat(reached).isEqualTo(30 - limited);
    }

    @Test
    void concurrencyLimitAnswersOverflow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        backends.all().forEach(b -> b.respond(r -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return b.ok();
        }));
        mesh("service: orders\n" + Mesh.endpoints(backends) + "policy: { connectionPool: { maxRequests: 2 } }\n");
        List<CompletableFuture<MeshResponse>> held = new ArrayList<>();
        held.add(client.executeAsync(MeshRequest.get("http://orders/1").build()));
        held.add(client.executeAsync(MeshRequest.get("http://orders/2").build()));
        Await.until(Duration.ofSeconds(5), "two calls in flight",
                () -> runtime.engine().snapshot().service("orders").state().inFlight() == 2);
        MeshResponse third = get("http://orders/3");
        assertThat(third.status()).isEqualTo(503);
        assertThat(third.localReply()).isEqualTo("overflow");
        release.countDown();
        for (CompletableFuture<MeshResponse> f : held) {
            assertThat(f.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    @Test
    void inFlightCallsFinishOnTheSnapshotTheyStartedWith() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        backends.get(0).respond(r -> {
            arrived.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse().setResponseCode(503);
        });
        backends.get(1).respondOk();
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " }, { address: "
                + backends.get(1).address() + " } ]\npolicy: { loadBalancer: round-robin }\n"
                + "routes: [ { retries: { attempts: 0 } } ]\n");
        // Make sure the first call goes to b0: try until one does.
        CompletableFuture<MeshResponse> call = null;
        for (int i = 0; i < 2 && call == null; i++) {
            CompletableFuture<MeshResponse> c = client.executeAsync(MeshRequest.get("http://orders/").build());
            if (arrived.await(300, TimeUnit.MILLISECONDS)) {
                call = c;
            } else {
                c.get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(call).isNotNull();
        // While it is in flight, a new config turns retries on; the running call keeps its snapshot's rules.
        runtime.apply(Mesh.yaml("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " }, { address: "
                + backends.get(1).address() + " } ]\nroutes: [ { retries: { attempts: 2, on: [ 503 ] } } ]\n"));
        release.countDown();
        assertThat(call.get(5, TimeUnit.SECONDS).status()).isEqualTo(503);
    }
}
