package io.weft.runtime;

import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.support.Backends;
import io.weft.runtime.support.MeshTestBase;
import io.weft.runtime.support.Mesh;
import io.weft.runtime.support.Ports;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries: what is retried, what never is, and the budget that caps them. */
class RetryTest extends MeshTestBase {



    private static final String NO_EJECTION = "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n";

    @Test
    void retriesA503OnAnotherEndpoint() throws Exception {
        backends.get(0).respondStatus(503);
        mesh("service: orders\n" + Mesh.endpoints(backends) + NO_EJECTION
                + "routes: [ { retries: { attempts: 2, on: [ 503 ] } } ]\n");
        for (int i = 0; i < 60; i++) {
            assertThat(client.execute(MeshRequest.get("http://orders/").build()).status()).isEqualTo(200);
        }
        // Calls that hit b0 first were retried on b1 or b2, which answered every call once.
        assertThat(backends.get(0).count()).isGreaterThan(5);
        assertThat(backends.get(1).count() + backends.get(2).count()).isEqualTo(60);
    }

    @Test
    void withoutRetryConfigA503IsReturnedAsIs() throws Exception {
        backends.all().forEach(b -> b.respondStatus(503));
        mesh("service: orders\n" + Mesh.endpoints(backends) + NO_EJECTION);
        assertThat(client.execute(MeshRequest.get("http://orders/").build()).status()).isEqualTo(503);
        assertThat(backends.get(0).count() + backends.get(1).count() + backends.get(2).count()).isEqualTo(1);
    }

    @Test
    void connectionRefusedIsRetriedByDefaultEvenForPost() throws Exception {
        int dead = Ports.closedPort();
        mesh("service: orders\nendpoints:\n  - { address: 127.0.0.1:" + dead + " }\n  - { address: "
                + backends.get(0).address() + " }\n" + NO_EJECTION);
        for (int i = 0; i < 10; i++) {
            MeshResponse r = client.execute(MeshRequest.post("http://orders/pay", "text/plain", "once").build());
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(backends.get(0).count()).isEqualTo(10);
    }

    @Test
    void aPostThatReachedTheBackendIsNotRetried() throws Exception {
        // The backend reads the whole request, then drops the connection: the POST may have been processed.
        backends.all().forEach(b -> b.respond(r -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST)));
        mesh("service: orders\n" + Mesh.endpoints(backends) + NO_EJECTION
                + "routes: [ { retries: { attempts: 2, on: [ 5xx, reset ] } } ]\n");
        assertThatThrownBy(() -> client.execute(MeshRequest.post("http://orders/pay", "text/plain", "once").build()))
                .isInstanceOf(IOException.class);
        int total = backends.get(0).count() + backends.get(1).count() + backends.get(2).count();
        assertThat(total).as("the POST reached exactly one backend once").isEqualTo(1);

        backends.resetCounts();
        assertThatThrownBy(() -> client.execute(MeshRequest.get("http://orders/read").build()))
                .isInstanceOf(IOException.class);
        int gets = backends.get(0).count() + backends.get(1).count() + backends.get(2).count();
        assertThat(gets).as("an idempotent GET is retried twice").isEqualTo(3);
    }

    @Test
    void aPostIsRetriedWhenTheRouteAllowsIt() throws Exception {
        backends.get(0).respondStatus(503);
        backends.get(1).respondStatus(503);
        backends.get(2).respondStatus(503);
        mesh("service: orders\n" + Mesh.endpoints(backends) + NO_EJECTION
                + "routes: [ { retries: { attempts: 2, on: [ 503 ], allowNonIdempotent: true } } ]\n");
        assertThat(client.execute(MeshRequest.post("http://orders/", "text/plain", "x").build()).status()).isEqualTo(503);
        assertThat(backends.counts()).containsExactly(1, 1, 1);
    }

    @Test
    void retryBudgetCapsRetriesUnderAFailingService() throws Exception {
        backends.all().forEach(b -> b.respondStatus(503));
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false },"
                + " retryBudget: { percent: 20, minPerSecond: 0 } }\n"
                + "routes: [ { retries: { attempts: 3, on: [ 5xx ], backoff: { base: 1ms, max: 2ms } } } ]\n");
        int calls = 200;
        for (int i = 0; i < calls; i++) {
            assertThat(client.execute(MeshRequest.get("http://orders/").build()).status()).isEqualTo(503);
        }
        int sent = backends.get(0).count() + backends.get(1).count() + backends.get(2).count();
        // Without the budget every call would be sent 4 times (800); the budget allows 20 % retries.
        assertThat(sent).isBetween(calls + 1, calls + calls / 5 + 1);
    }

    @Test
    void retriesAreSpreadAwayFromTheFailedEndpoint() throws Exception {
        backends.get(0).respondStatus(502);
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { loadBalancer: { type: ring-hash, hashHeader: x-user }, outlierDetection: { enabled: false } }\n"
                + "routes: [ { retries: { attempts: 1, on: [ gateway-error ] } } ]\n");
        // Find a key that hashes to b0, then check its retry lands elsewhere despite the sticky ring.
        for (int user = 0; user < 200; user++) {
            MeshResponse r = client.execute(MeshRequest.get("http://orders/").header("x-user", "u" + user).build());
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(backends.get(0).count()).isGreaterThan(0);
    }
}
