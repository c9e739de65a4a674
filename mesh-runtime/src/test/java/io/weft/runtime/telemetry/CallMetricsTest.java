package io.weft.runtime.telemetry;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.support.Mesh;
import io.weft.runtime.support.MeshTestBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Meters after known traffic through real backends. */
class CallMetricsTest extends MeshTestBase {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.listener(new CallMetrics(registry));
    }

    private long count(String route, String outcome, String status) {
        return registry.find("weft.client.requests").tag("service", "orders").tag("route", route)
                .tag("outcome", outcome).tag("status", status).timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void countsEveryCallByRouteStatusAndOutcome() throws Exception {
        backends.get(0).respond(r -> r.getPath().startsWith("/api")
                ? new okhttp3.mockwebserver.MockResponse().setResponseCode(503) : backends.get(0).ok());
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
                + "routes:\n"
                + "  - { name: teapot, match: { path: { prefix: /tea } }, fault: { abort: { percent: 100, status: 418 } } }\n"
                + "  - { name: limited, match: { path: { prefix: /limited } }, rateLimit: { requestsPerSecond: 1 } }\n"
                + "  - { name: api, retries: { attempts: 2, on: [ 503 ] } }\n");
        for (int i = 0; i < 30; i++) {
            assertThat(get("http://orders/api").status()).isEqualTo(200);
        }
        int apiCallsOnB0 = backends.get(0).count();
        for (int i = 0; i < 4; i++) {
            assertThat(get("http://orders/tea").status()).isEqualTo(418);
        }
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            if (get("http://orders/limited").status() == 429) {
                limited++;
            }
        }

        assertThat(count("api", "success", "2xx")).isEqualTo(30);
        int b0BeforeLimited = apiCallsOnB0;
        assertThat(registry.get("weft.client.retries").tag("route", "api").counter().count())
                .as("each call that met b0 first was retried once").isEqualTo(b0BeforeLimited);
        assertThat(count("teapot", "fault_abort", "4xx")).isEqualTo(4);
        assertThat(count("limited", "rate_limited", "4xx")).isEqualTo(limited).isGreaterThanOrEqualTo(3);
        assertThat(count("limited", "success", "2xx")).isEqualTo(5 - limited);
        // Local replies have no endpoint; answered calls name theirs, never a path.
        assertThat(registry.find("weft.client.requests").tag("route", "teapot").timer().getId().getTag("endpoint"))
                .isEqualTo("none");
        assertThat(registry.find("weft.client.requests").timers())
                .allSatisfy(t -> assertThat(t.getId().getTags()).noneMatch(tag -> tag.getValue().startsWith("/")));
    }

    @Test
    void failedCallsAreCountedByHowTheyFailed() throws Exception {
        int dead = io.weft.runtime.support.Ports.closedPort();
        mesh("service: orders\nendpoints: [ { address: 127.0.0.1:" + dead + " } ]\n"
                + "policy: { outlierDetection: { enabled: false } }\n");
        for (int i = 0; i < 3; i++) {
            try {
                get("http://orders/");
            } catch (java.io.IOException expected) {
                // refused
            }
        }
        assertThat(count("default", "connect_failure", "none")).isEqualTo(3);
    }
}
