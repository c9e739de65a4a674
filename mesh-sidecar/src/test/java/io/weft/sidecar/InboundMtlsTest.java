package io.weft.sidecar;

import io.weft.runtime.support.Mesh;
import io.weft.sidecar.support.MeshIdentities;
import io.weft.sidecar.support.RawHttp;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbound listener in front of the payments app, over real TLS on 127.0.0.1: its service's TLS mode decides
 * how each connection is taken, its authorization rules decide each request, and the app learns the verified
 * caller from {@code x-weft-peer-identity}, which no caller can forge.
 */
class InboundMtlsTest {

    private static final String FRONTEND = "spiffe://weft.local/ns/default/sa/frontend";
    private static final String FRONTEND_API_ONLY = """
            authorization:
              - name: frontend-api
                allow: { from: [ "%s" ], paths: [ "/api/*" ] }
            """.formatted(FRONTEND);

    @TempDir
    static Path dir;
    static MockWebServer app;
    static Sidecar sidecar;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        app = new MockWebServer();
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String peer = r.getHeader("x-weft-peer-identity");
                return new MockResponse().setBody("peer=" + (peer == null ? "-" : peer) + " path=" + r.getPath());
            }
        });
        app.start(InetAddress.getByName("127.0.0.1"), 0);
        sidecar = TestSidecar.start(dir, config("STRICT", ""), b -> b.service("payments")
                .identity(MeshIdentities.of("payments")).app("127.0.0.1", app.getPort())
                .telemetry(SidecarTelemetry.NONE.withAdmin("127.0.0.1", 0)));
        port = TestSidecar.inbound(sidecar).getPort();
    }

    @AfterAll
    static void stop() throws IOException {
        sidecar.close();
        app.shutdown();
    }

    private static String config(String mode, String authorization) {
        return "service: payments\nendpoints: []\npolicy: { tls: { mode: " + mode + " } }\n" + authorization;
    }

    /** The config a control plane would push: it applies to the next connection and request. */
    private static void policy(String mode, String authorization) {
        sidecar.runtime().apply(Mesh.yaml(config(mode, authorization)));
    }

    @Test
    void strictTakesAnMtlsCallerAndTellsTheAppWhoItIsWhateverTheCallerClaims() throws Exception {
        policy("STRICT", "");
        HttpResponse<String> r = get(MeshIdentities.client("frontend", "payments"), "/api/items",
                "spiffe://weft.local/ns/default/sa/admin");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("peer=" + FRONTEND + " path=/api/items");
    }

    @Test
    void strictRefusesPlaintextConnections() throws Exception {
        policy("STRICT", "");
        int before = app.getRequestCount();
        assertThat(plaintextExchange("GET /api/items HTTP/1.1\r\nHost: payments\r\n\r\n")).doesNotContain("HTTP/1.1");
        assertThat(app.getRequestCount()).isEqualTo(before);
    }

    @Test
    void permissiveTakesMtlsAndPlaintextAndPlaintextCallersCannotClaimAnIdentity() throws Exception {
        policy("PERMISSIVE", "");
        assertThat(get(MeshIdentities.client("frontend", "payments"), "/a", null).body())
                .isEqualTo("peer=" + FRONTEND + " path=/a");
        try (RawHttp plain = RawHttp.connect(port)) {
            String response = plain.send("GET /b HTTP/1.1\r\nHost: payments\r\nx-weft-peer-identity: " + FRONTEND
                    + "\r\n\r\n").readResponse();
            assertThat(RawHttp.statusLine(response)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(response).endsWith("peer=- path=/b");
        }
    }

    @Test
    void disableIsPlaintextOnly() throws Exception {
        policy("DISABLE", "");
        try (RawHttp plain = RawHttp.connect(port)) {
            assertThat(plain.send("GET /c HTTP/1.1\r\nHost: payments\r\n\r\n").readResponse()).endsWith("peer=- path=/c");
        }
        assertThatThrownBy(() -> get(MeshIdentities.client("frontend", "payments"), "/c", null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        policy("STRICT", "");
        int before = app.getRequestCount();
        double refusedBefore = scrapedCount("weft_inbound_tls_refused_total", "untrusted-ca");
        assertThatThrownBy(() -> get(MeshIdentities.foreignClient("frontend", "payments"), "/api/items", null))
                .isInstanceOf(IOException.class);
        assertThat(app.getRequestCount()).isEqualTo(before);
        // Per handshake, not per call: the JDK client sends a GET once more when the connection closes unanswered.
        assertThat(scrapedCount("weft_inbound_tls_refused_total", "untrusted-ca") - refusedBefore).isPositive();
    }

    @Test
    void aValidCertificateOfAnIdentityTheRulesDoNotAllowGets403() throws Exception {
        policy("STRICT", FRONTEND_API_ONLY);
        int before = app.getRequestCount();
        double deniedBefore = authzCount("no-allow-rule");

        HttpResponse<String> billing = get(MeshIdentities.client("billing", "payments"), "/api/items", null);
        assertThat(billing.statusCode()).isEqualTo(403);
        assertThat(billing.body()).isEqualTo("RBAC: access denied\n");
        HttpResponse<String> wrongPath = get(MeshIdentities.client("frontend", "payments"), "/admin", null);
        assertThat(wrongPath.statusCode()).isEqualTo(403);
        assertThat(app.getRequestCount()).isEqualTo(before);

        assertThat(get(MeshIdentities.client("frontend", "payments"), "/api/items", null).statusCode()).isEqualTo(200);
        assertThat(authzCount("no-allow-rule") - deniedBefore).isEqualTo(2);
    }

    @Test
    void aPlaintextConnectionOpenedWhilePermissiveGetsNoMoreRequestsThroughOnceStrict() throws Exception {
        policy("PERMISSIVE", "");
        try (RawHttp plain = RawHttp.connect(port)) {
            assertThat(RawHttp.statusLine(plain.send("GET /d HTTP/1.1\r\nHost: payments\r\n\r\n").readResponse()))
                    .isEqualTo("HTTP/1.1 200 OK");
            policy("STRICT", "");
            String refused = plain.send("GET /d HTTP/1.1\r\nHost: payments\r\n\r\n").readResponse();
            assertThat(RawHttp.statusLine(refused)).isEqualTo("HTTP/1.1 403 Forbidden");
            assertThat(refused).endsWith("RBAC: access denied\n");
        }
    }

    @Test
    void withoutAnIdentityAStrictSidecarFailsClosed() throws Exception {
        Sidecar noIdentity = TestSidecar.start(dir, config("STRICT", "") + """
                ---
                service: orders
                endpoints: [ { address: 127.0.0.1:%d } ]
                policy: { tls: { mode: STRICT } }
                """.formatted(app.getPort()), b -> b.service("payments").app("127.0.0.1", app.getPort()));
        try {
            int before = app.getRequestCount();
            int inbound = TestSidecar.inbound(noIdentity).getPort();
            assertThat(exchange(inbound, "GET /e HTTP/1.1\r\nHost: payments\r\n\r\n")).isEmpty();
            // Its outbound side refuses too: the engine answers, nothing is sent in plaintext.
            OkHttpClient viaSidecar = new OkHttpClient.Builder().proxy(TestSidecar.proxy(noIdentity))
                    .callTimeout(Duration.ofSeconds(10)).build();
            try (Response r = viaSidecar.newCall(new Request.Builder().url("http://orders/x").build()).execute()) {
                assertThat(r.code()).isEqualTo(503);
                assertThat(r.header("x-weft-local-reply")).isEqualTo("mtls-unavailable");
            }
            assertThat(app.getRequestCount()).isEqualTo(before);
        } finally {
            noIdentity.close();
        }
    }

    private static HttpResponse<String> get(SSLContext tls, String path, String claimedPeer) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (claimedPeer != null) {
            request.header("x-weft-peer-identity", claimedPeer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String plaintextExchange(String request) throws IOException {
        return exchange(port, request);
    }

    /** Sends {@code request} in plaintext and returns whatever comes back until the connection ends. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            s.setSoTimeout(10_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    received.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                // reset: refused as well
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code weft.inbound.authz} denials of payments for {@code reason}, from the admin port's scrape. */
    private static double authzCount(String reason) throws IOException {
        return scrapedCount("weft_inbound_authz_total", reason);
    }

    /** The counter {@code total} of payments for {@code reason}, from the admin port's scrape. */
    private static double scrapedCount(String total, String reason) throws IOException {
        OkHttpClient http = new OkHttpClient();
        try (Response r = http.newCall(new Request.Builder()
                .url("http://127.0.0.1:" + sidecar.adminPort() + "/stats/prometheus").build()).execute()) {
            return r.body().string().lines()
                    .filter(l -> l.startsWith(total + "{") && l.contains("service=\"payments\"")
                            && l.contains("reason=\"" + reason + "\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
    }
}
