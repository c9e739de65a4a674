package io.weft.runtime.telemetry;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.support.Await;
import io.weft.runtime.support.Mesh;
import io.weft.runtime.support.MeshTestBase;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The data plane's state as meters, after known failures of real backends. */
class EngineMetricsTest extends MeshTestBase {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.meterRegistry(registry);
    }

    private double endpoints(String state) {
        return registry.get("weft.client.endpoints").tag("service", "orders").tag("state", state).gauge().value();
    }

    private double transitions(String endpoint, String state) {
        var counter = registry.find("weft.client.breaker.transitions").tag("endpoint", endpoint).tag("state", state)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void breakerTransitionsAndEndpointStatesAreCounted() throws Exception {
        String b0 = backends.get(0).address();
        backends.get(0).respondStatus(500);
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy:\n  loadBalancer: round-robin\n  outlierDetection: { enabled: false }\n"
                + "  circuitBreaker: { failureRatePercent: 50, minimumCalls: 3, windowSize: 5, openFor: 300ms, halfOpenCalls: 1 }\n");
        assertThat(endpoints("available")).isEqualTo(3);
        for (int i = 0; i < 12 && backends.get(0).count() < 3; i++) {
            get("http://orders/");
        }
        assertThat(transitions(b0, "open")).isEqualTo(1);
        assertThat(endpoints("breaker_open")).isEqualTo(1);
        assertThat(endpoints("available")).isEqualTo(2);

        backends.get(0).respondOk();
        Await.until(Duration.ofSeconds(5), "the breaker of b0 half-opens", () -> transitions(b0, "half_open") == 1);
        for (int i = 0; i < 6 && transitions(b0, "closed") == 0; i++) {
            get("http://orders/");
        }
        assertThat(transitions(b0, "closed")).isEqualTo(1);
        assertThat(endpoints("available")).isEqualTo(3);
        assertThat(registry.find("weft.client.breaker.transitions").counters())
                .allSatisfy(c -> assertThat(c.getId().getTag("endpoint")).isEqualTo(b0));
    }

    @Test
    void ejectionsAreCountedAndEjectedEndpointsShow() throws Exception {
        backends.get(1).respondStatus(503);
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy:\n  loadBalancer: round-robin\n"
                + "  outlierDetection: { consecutiveErrors: 2, baseEjectionTime: 30s, maxEjectionPercent: 50 }\n");
        for (int i = 0; i < 9; i++) {
            get("http://orders/");
        }
        assertThat(registry.get("weft.client.ejections").tag("endpoint", backends.get(1).address()).counter().count())
                .isEqualTo(1);
        assertThat(endpoints("ejected")).isEqualTo(1);
        assertThat(endpoints("available")).isEqualTo(2);
    }

    @Test
    void refusedRetriesAreCountedWhenTheBudgetIsSpent() throws Exception {
        backends.all().forEach(b -> b.respondStatus(503));
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { outlierDetection: { enabled: false }, retryBudget: { percent: 20, minPerSecond: 0 } }\n"
                + "routes:\n  - { name: api, retries: { attempts: 1, on: [ 503 ] } }\n");
        for (int i = 0; i < 20; i++) {
            assertThat(get("http://orders/").status()).isEqualTo(503);
        }
        double retries = registry.get("weft.client.retries").tag("route", "api").counter().count();
        double refused = registry.get("weft.client.retry.budget.exhausted").tag("service", "orders")
                .tag("route", "api").counter().count();
        assertThat(retries).as("20% of 20 calls").isLessThanOrEqualTo(4);
        assertThat(retries + refused).as("every call wanted one retry").isEqualTo(20);
    }

    @Test
    void activeRequestsShowCallsInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(2);
        backends.all().forEach(b -> b.respond(r -> {
            arrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse().setBody("late");
        }));
        mesh("service: orders\n" + Mesh.endpoints(backends));
        var calls = java.util.stream.IntStream.range(0, 2)
                .mapToObj(i -> client.executeAsync(io.weft.api.MeshRequest.get("http://orders/").build())).toList();
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.get("weft.client.requests.active").tag("service", "orders").gauge().value()).isEqualTo(2);
        release.countDown();
        for (var c : calls) {
            assertThat(c.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(registry.get("weft.client.requests.active").tag("service", "orders").gauge().value()).isZero();
        // The config's meters are bound too.
        assertThat(registry.get("weft.config.version").gauge()).isNotNull();
    }
}
