package io.weft.runtime.security;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.adapter.jdkhttp.MeshHttpClient;
import io.weft.runtime.adapter.urlconnection.MeshHttpURLConnection;
import io.weft.runtime.inbound.JdkHttpServerSecurity;
import io.weft.runtime.support.Mesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Calls from every HTTP adapter to a STRICT service over real mTLS on 127.0.0.1: the caller presents its workload
 * certificate, checks the server's SPIFFE ID, and the server authorizes the caller by its identity.
 */
class MtlsCallsTest {

    private static final TestCa CA = new TestCa("mesh");
    private static final WorkloadMaterial ORDERS = CA.issue(SpiffeId.forWorkload("weft.local", "default", "orders"));
    private static final WorkloadMaterial FRONTEND = CA.issue(SpiffeId.forWorkload("weft.local", "default", "frontend"));
    private static final WorkloadMaterial BILLING = CA.issue(SpiffeId.forWorkload("weft.local", "default", "billing"));

    private final AtomicInteger handled = new AtomicInteger();
    private HttpsServer server;
    private WeftRuntime serverRuntime;
    private SimpleMeterRegistry serverMeters;
    private WeftRuntime client;

    private String config() {
        return """
                service: orders
                endpoints: [ { address: 127.0.0.1:%d } ]
                policy: { tls: { mode: STRICT }, outlierDetection: { consecutiveErrors: 1000 } }
                authorization:
                  - name: frontend-api
                    allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/api/*" ] }
                """.formatted(server.getAddress().getPort());
    }

    /** The orders workload: an HTTPS server with its own certificate, behind its service's rules. */
    private void startServer(WorkloadMaterial identity) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverMeters = new SimpleMeterRegistry();
        serverRuntime = WeftRuntime.builder().service("orders").config(Mesh.yaml(config()))
                .identity(IdentitySource.of(identity), null, null).meterRegistry(serverMeters).build();
        server.setHttpsConfigurator(JdkHttpServerSecurity.mtls(serverRuntime.identity()));
        server.createContext("/", exchange -> {
            handled.incrementAndGet();
            String peer = PeerIdentity.of(((HttpsExchange) exchange).getSSLSession()).map(Object::toString).orElse("-");
            byte[] body = ("peer=" + peer).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }).getFilters().add(JdkHttpServerSecurity.authorization(serverRuntime.inboundAuthorizer()));
        server.start();
    }

    private WeftRuntime client(WorkloadMaterial identity) {
        WeftRuntime.Builder b = WeftRuntime.builder().config(Mesh.yaml(config()));
        if (identity != null) {
            b.identity(IdentitySource.of(identity), null, null);
        }
        client = b.build();
        return client;
    }

    @BeforeEach
    void start() throws IOException {
        startServer(ORDERS);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverRuntime.close();
        if (client != null) {
            client.close();
        }
    }

    @Test
    void everyAdapterCallsOverMtlsAndTheServerSeesTheCallersIdentity() throws Exception {
        WeftRuntime runtime = client(FRONTEND);
        String expected = "peer=spiffe://weft.local/ns/default/sa/frontend";

        try (MeshClient okhttp = runtime.client()) {
            MeshResponse r = okhttp.execute(MeshRequest.get("http://orders/api/items").build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyAsString()).isEqualTo(expected);
        }

        HttpClient jdk = MeshHttpClient.wrap(runtime.engine(), HttpClient.newHttpClient());
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create("http://orders/api/items")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(expected);

        HttpURLConnection url = new MeshHttpURLConnection(new URL("http://orders/api/items"), runtime.engine(),
                u -> (HttpURLConnection) u.openConnection());
        assertThat(url.getResponseCode()).isEqualTo(200);
        try (InputStream in = url.getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        assertThat(handled).hasValue(3);
        assertThat(serverMeters.get("weft.inbound.authz").tag("reason", "allowed-by-rule").counter().count())
                .isEqualTo(3);
    }

    @Test
    void aValidCertificateOfAnotherIdentityGets403ByPolicy() throws Exception {
        try (MeshClient c = client(BILLING).client()) {
            MeshResponse r = c.execute(MeshRequest.get("http://orders/api/items").build());
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyAsString()).isEqualTo("RBAC: access denied\n");
        }
        try (MeshClient c = client(FRONTEND).client()) {
            assertThat(c.execute(MeshRequest.get("http://orders/admin").build()).status()).isEqualTo(403);
            // The rule sees the path the server maps, not the text the caller wrote.
            assertThat(c.execute(MeshRequest.get("http://orders/api/../admin").build()).status()).isEqualTo(403);
            assertThat(c.execute(MeshRequest.get("http://orders/%61dmin").build()).status()).isEqualTo(403);
        }
        assertThat(handled).hasValue(0);
        assertThat(serverMeters.get("weft.inbound.authz").tags("decision", "deny", "reason", "no-allow-rule")
                .counter().count()).isEqualTo(4);
    }

    @Test
    void aServerWithAnotherIdentityIsRefusedByTheCaller() throws Exception {
        stop();
        startServer(CA.issue(SpiffeId.forWorkload("weft.local", "default", "payments")));
        try (MeshClient c = client(FRONTEND).client()) {
            assertThatThrownBy(() -> c.execute(MeshRequest.get("http://orders/api/items").build()))
                    .isInstanceOf(IOException.class)
                    .hasStackTraceContaining("peer is spiffe://weft.local/ns/default/sa/payments, expected "
                            + "spiffe://weft.local/ns/default/sa/orders");
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void aCallerCertificateFromAnotherCaIsRefusedByTheServer() {
        WorkloadMaterial foreign = new TestCa("elsewhere").issue(SpiffeId.forWorkload("weft.local", "default", "frontend"));
        // The foreign workload trusts our CA too, so that only the server's check is in the way.
        WorkloadMaterial trustsUs = new WorkloadMaterial(foreign.id(), foreign.privateKey(), foreign.chain(), CA.bundle());
        try (MeshClient c = client(trustsUs).client()) {
            assertThatThrownBy(() -> c.execute(MeshRequest.get("http://orders/api/items").build()))
                    .isInstanceOf(IOException.class);
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void withoutACertificateOrWithAnExpiredOneTheCallFailsClosed() throws Exception {
        try (MeshClient c = client(null).client()) {
            MeshResponse r = c.execute(MeshRequest.get("http://orders/api/items").build());
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header(MeshResponse.LOCAL_REPLY_HEADER)).contains("mtls-unavailable");
            assertThat(r.bodyAsString()).contains("no mesh identity").contains("never falls back to plaintext");
        }
        client.close();
        WorkloadMaterial expired = CA.issue(FRONTEND.id(), Instant.now().minusSeconds(120), Instant.now().minusSeconds(60));
        try (MeshClient c = client(expired).client()) {
            MeshResponse r = c.execute(MeshRequest.get("http://orders/api/items").build());
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyAsString()).contains("expired");
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void activeHealthChecksOfAStrictServiceGoOverMtlsToo() throws Exception {
        String withChecks = config().replace("outlierDetection: { consecutiveErrors: 1000 } }",
                "outlierDetection: { consecutiveErrors: 1000 }, healthCheck: { path: /api/health, interval: 100ms, "
                        + "unhealthyThreshold: 1 } }");
        client = WeftRuntime.builder().config(Mesh.yaml(withChecks))
                .identity(IdentitySource.of(FRONTEND), null, null).build();
        io.weft.runtime.support.Await.until(java.time.Duration.ofSeconds(10), "three health checks answered",
                () -> handled.get() >= 3);
        assertThat(client.engine().snapshot().service("orders").endpoints())
                .allSatisfy(e -> assertThat(e.isHealthy()).isTrue());
        try (MeshClient c = client.client()) {
            assertThat(c.execute(MeshRequest.get("http://orders/api/items").build()).status()).isEqualTo(200);
        }
    }

    @Test
    void aStrictServerRefusesPlaintext() {
        HttpClient plain = HttpClient.newHttpClient();
        URI direct = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/items");
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(direct).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(handled).hasValue(0);
    }
}
