package io.weft.sidecar;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.weft.runtime.inbound.JdkHttpServerSecurity;
import io.weft.runtime.security.PeerIdentity;
import io.weft.runtime.security.WorkloadIdentity;
import io.weft.sidecar.support.MeshIdentities;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's plaintext calls leave the frontend sidecar over mTLS with the mesh identity, to a JVM server that
 * takes mTLS itself and to another sidecar; connections of different TLS contexts never mix in the pools.
 */
class OutboundMtlsTest {

    private static final String FRONTEND = "spiffe://weft.local/ns/default/sa/frontend";

    @TempDir
    static Path dir;
    static WorkloadIdentity ordersIdentity;
    static HttpsServer orders;
    static final AtomicInteger ordersHandled = new AtomicInteger();
    static MockWebServer paymentsApp;
    static Sidecar payments;
    static Sidecar frontend;
    static OkHttpClient app;

    @BeforeAll
    static void start() throws Exception {
        ordersIdentity = WorkloadIdentity.fixed(MeshIdentities.of("orders"), null, null);
        orders = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        orders.setHttpsConfigurator(JdkHttpServerSecurity.mtls(ordersIdentity));
        orders.createContext("/", exchange -> {
            ordersHandled.incrementAndGet();
            String peer = PeerIdentity.of(((HttpsExchange) exchange).getSSLSession()).map(Object::toString).orElse("-");
            byte[] body = ("orders saw " + peer).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        orders.start();

        paymentsApp = new MockWebServer();
        paymentsApp.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String peer = r.getHeader("x-weft-peer-identity");
                return new MockResponse().setBody("payments saw " + (peer == null ? "-" : peer));
            }
        });
        paymentsApp.start(InetAddress.getByName("127.0.0.1"), 0);
        // Takes both, so that only the caller's side decides whether a call is mTLS.
        payments = TestSidecar.start(dir, "service: payments\nendpoints: []\npolicy: { tls: { mode: PERMISSIVE } }\n",
                b -> b.service("payments").identity(MeshIdentities.of("payments")).app("127.0.0.1", paymentsApp.getPort()));

        String ordersAddress = "127.0.0.1:" + orders.getAddress().getPort();
        String paymentsAddress = "127.0.0.1:" + TestSidecar.inbound(payments).getPort();
        frontend = TestSidecar.start(dir, """
                service: orders
                endpoints: [ { address: %1$s } ]
                policy: { tls: { mode: STRICT } }
                ---
                # the orders server at an address this service claims: it cannot prove to be impostor
                service: impostor
                endpoints: [ { address: %1$s } ]
                policy: { tls: { mode: STRICT } }
                ---
                service: payments
                endpoints: [ { address: %2$s } ]
                policy: { tls: { mode: PERMISSIVE } }
                ---
                # the same endpoint, called in plaintext
                service: payments-plain
                endpoints: [ { address: %2$s } ]
                ---
                # the same endpoint again, expected to prove another identity
                service: billing
                endpoints: [ { address: %2$s } ]
                policy: { tls: { mode: STRICT }, outlierDetection: { consecutiveErrors: 1000 } }
                """.formatted(ordersAddress, paymentsAddress),
                b -> b.service("frontend").identity(MeshIdentities.of("frontend")));
        app = new OkHttpClient.Builder().proxy(TestSidecar.proxy(frontend)).callTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() throws IOException {
        frontend.close();
        payments.close();
        paymentsApp.shutdown();
        orders.stop(0);
        ordersIdentity.close();
    }

    @Test
    void aStrictServiceIsCalledOverMtlsAndSeesTheSidecarsIdentity() throws IOException {
        for (int i = 0; i < 3; i++) { // the first on a new connection, the others on the pooled one
            assertThat(call("http://orders/api/items")).isEqualTo("200 orders saw " + FRONTEND);
        }
    }

    @Test
    void aServerThatCannotProveTheDestinationsIdentityIsRefusedAsAConnectFailure() throws IOException {
        int before = ordersHandled.get();
        try (Response r = app.newCall(new Request.Builder().url("http://impostor/api/items").build()).execute()) {
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.header("x-weft-local-reply")).isEqualTo("upstream-connect-failure");
            assertThat(r.body().string()).contains("mTLS handshake with 127.0.0.1:" + orders.getAddress().getPort()
                    + " failed");
        }
        assertThat(ordersHandled).hasValue(before);
    }

    @Test
    void plaintextAndEachDestinationsTlsNeverShareAPooledConnection() throws IOException {
        for (int i = 0; i < 2; i++) {
            assertThat(call("http://payments/x")).isEqualTo("200 payments saw " + FRONTEND);
            assertThat(call("http://payments-plain/x")).isEqualTo("200 payments saw -");
            // payments' pooled connection proved payments, not billing: billing gets a handshake of its own, refused.
            assertThat(call("http://billing/x")).startsWith("503 ").contains("mTLS handshake");
        }
    }

    private static String call(String url) throws IOException {
        try (Response r = app.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code() + " " + r.body().string();
        }
    }
}
