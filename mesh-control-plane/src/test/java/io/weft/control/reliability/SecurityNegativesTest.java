package io.weft.control.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.api.ServiceName;
import io.weft.control.ca.CaSettings;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.control.CertificateResponse;
import io.weft.runtime.control.ControlPlaneSettings;
import io.weft.runtime.inbound.JdkHttpServerSecurity;
import io.weft.runtime.reliability.Report;
import io.weft.runtime.security.CertificateClient;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.MeshTls;
import io.weft.runtime.security.Pem;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.SvidVerifier;
import io.weft.runtime.security.TrustBundle;
import io.weft.runtime.security.WorkloadKeys;
import io.weft.runtime.security.WorkloadMaterial;
import io.weft.runtime.support.Await;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's security negatives against real parts on 127.0.0.1: a control plane with its CA on; orders, a STRICT
 * service with authorization rules, behind a JDK {@code HttpsServer} secured by {@link JdkHttpServerSecurity}
 * (and a plaintext port with the same rules, as a listener that takes plaintext); frontend calling it through its
 * runtime. Each negative must be refused, move its counter (the orders runtime's meters, or the control plane's
 * {@code refused} status) by exactly the expected amount and nothing else, and leave the next legitimate call
 * working. The figures go to docs/RELIABILITY.md ({@code [reliability] security-negatives ...} lines).
 */
class SecurityNegativesTest {

    private static final String BILLING_TOKEN = "billing-secret-token";
    private static final String ORDERS = """
            service: orders
            policy: { tls: { mode: STRICT } }
            authorization:
              - name: frontend
                allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/api/*" ], methods: [ GET ] }
            """;
    private static final Duration MAX = Duration.ofSeconds(20);

    static {
        // The JDK server writes head and body apart; without this each call waits out a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @TempDir
    Path dir;
    @TempDir
    Path caDir;
    @TempDir
    Path foreignCaDir;
    @TempDir
    Path cache;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Report report = new Report("security-negatives");
    private final AtomicInteger handled = new AtomicInteger();
    private TestControlPlane cp;
    private SimpleMeterRegistry ordersMeters;
    private MeshClient frontend;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void everyNegativeIsRefusedAndCountedAndTheNextLegitimateCallSucceeds() throws Exception {
        Files.writeString(dir.resolve("orders.yaml"), ORDERS);
        Files.writeString(dir.resolve("frontend.yaml"), "service: frontend\n");
        cp = close(TestControlPlane.start(dir, b -> b.caDir(caDir).tokens(Map.of(
                "orders", ORDERS_TOKEN, "frontend", FRONTEND_TOKEN, "billing", BILLING_TOKEN))));

        ordersMeters = new SimpleMeterRegistry();
        WeftRuntime orders = close(runtime("orders", ORDERS_TOKEN).meterRegistry(ordersMeters).build());
        assertThat(orders.awaitConfig(MAX)).as("orders config and certificate").isTrue();
        HttpsServer mtls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        mtls.setHttpsConfigurator(JdkHttpServerSecurity.mtls(orders.identity()));
        serve(mtls, orders);
        // A port that takes plaintext, with the same rules: what a listener left from PERMISSIVE days looks like.
        HttpServer plaintext = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(plaintext, orders);
        orders.register("127.0.0.1", mtls.getAddress().getPort(), Map.of());

        WeftRuntime frontendRuntime = close(runtime("frontend", FRONTEND_TOKEN).build());
        assertThat(frontendRuntime.awaitConfig(MAX)).as("frontend config and certificate").isTrue();
        frontend = close(frontendRuntime.client());
        Await.until(MAX, "frontend reaches orders over mTLS", () -> legitimateCall() == 200);

        inboundNegatives(mtls.getAddress().getPort(), plaintext.getAddress().getPort());
        controlPlaneNegatives(orders.instanceId());
    }

    private void inboundNegatives(int mtlsPort, int plaintextPort) throws Exception {
        TrustBundle bundle = cp.running().trustBundle();
        SpiffeId ordersId = SpiffeId.parse("spiffe://weft.local/ns/default/sa/orders");
        WorkloadMaterial billing = material("billing", BILLING_TOKEN);

        inbound("plaintext request to the STRICT service's mTLS port", "the server's TLS layer (not a TLS record)",
                () -> rawGet(null, mtlsPort), Map.of());
        inbound("plaintext request to a port of the STRICT service that takes plaintext", "InboundAuthorizer",
                () -> rawGet(null, plaintextPort), Map.of("authz mtls-required", 1L));

        SSLContext anonymous = SSLContext.getInstance("TLS");
        // Trusts orders, presents nothing.
        anonymous.init(null, new TrustManager[] {mesh(billing).clientTrustManager(ordersId)}, null);
        inbound("TLS without a client certificate", "the JDK's TLS (empty client chain, before the trust manager)",
                () -> rawGet(anonymous, mtlsPort), Map.of());

        CertificateAuthority stranger = CertificateAuthority.inMemory(CaSettings.in(foreignCaDir), Clock.systemUTC());
        KeyPair keys = WorkloadKeys.newKeyPair();
        SpiffeId frontendId = SpiffeId.parse("spiffe://weft.local/ns/default/sa/frontend");
        // Same trust domain and identity, another CA; it trusts the mesh's CA, so that only orders can refuse it.
        WorkloadMaterial foreign = new WorkloadMaterial(frontendId, keys.getPrivate(),
                stranger.issueWorkload(WorkloadKeys.certificationRequest(keys, "frontend"), "frontend"), bundle);
        inbound("client certificate from a foreign CA", "the mesh's server trust manager",
                () -> rawGet(toOrders(foreign), mtlsPort), Map.of("tls untrusted-ca", 1L));

        WorkloadMaterial expired = expiredFrontendCertificate();
        inbound("expired client certificate (issued by the mesh's CA)", "the mesh's server trust manager",
                () -> rawGet(toOrders(expired), mtlsPort), Map.of("tls expired", 1L));

        inbound("valid mesh certificate of an identity the rules do not allow (billing)", "InboundAuthorizer",
                () -> rawGet(toOrders(billing), mtlsPort), Map.of("authz no-allow-rule", 1L));
    }

    /** One inbound negative: refused, counted exactly as expected, and frontend's next call still served. */
    private void inbound(String negative, String refusedBy, Supplier<String> attempt, Map<String, Long> counted) {
        Map<String, Long> before = ordersCounters();
        int handledBefore = handled.get();
        String seen = attempt.get();
        Map<String, Long> moved = moved(before, ordersCounters());
        int legitimate = legitimateCall();

        report.line(negative, "refused by " + refusedBy + "; caller sees " + seen + "; counted " + describe(moved)
                + "; next legitimate call " + legitimate);
        assertThat(seen).as(negative + ": what the caller sees").doesNotStartWith("HTTP/1.1 200");
        assertThat(moved).as(negative + ": counters moved").isEqualTo(counted);
        assertThat(handled.get()).as(negative + ": requests that reached the handler").isEqualTo(handledBefore + 1);
        assertThat(legitimate).as(negative + ": frontend's next call").isEqualTo(200);
    }

    private void controlPlaneNegatives(String ordersInstance) throws Exception {
        String csr = WorkloadKeys.certificationRequest(WorkloadKeys.newKeyPair(), "orders");
        List<String> ordersInstances = ordersInstances();

        api("wrong token asking for a snapshot", () -> cp.get("/v1/snapshot?service=orders", "not-a-token"), 401,
                Map.of("snapshot unauthenticated", 1L), () -> cp.get("/v1/snapshot?service=orders", ORDERS_TOKEN));
        api("no token asking for a snapshot", () -> cp.get("/v1/snapshot?service=orders", null), 401,
                Map.of("snapshot unauthenticated", 1L), () -> cp.get("/v1/snapshot?service=orders", ORDERS_TOKEN));
        api("wrong token asking for a certificate", () -> certificate("not-a-token", "orders", csr), 401,
                Map.of("certificates unauthenticated", 1L), () -> certificate(ORDERS_TOKEN, "orders", csr));
        api("frontend's token asking for orders' snapshot", () -> cp.get("/v1/snapshot?service=orders",
                FRONTEND_TOKEN), 403, Map.of("snapshot forbidden", 1L),
                () -> cp.get("/v1/snapshot?service=frontend", FRONTEND_TOKEN));
        api("frontend's token asking for a certificate of orders", () -> certificate(FRONTEND_TOKEN, "orders", csr),
                403, Map.of("certificates forbidden", 1L), () -> certificate(FRONTEND_TOKEN, "frontend", csr));
        api("frontend's token registering an endpoint for orders", () -> registration(FRONTEND_TOKEN, "orders"), 403,
                Map.of("registry forbidden", 1L), () -> registration(FRONTEND_TOKEN, "frontend"));
        api("frontend's token deregistering orders' instance", () -> cp.delete("/v1/instances/" + ordersInstance,
                FRONTEND_TOKEN), 403, Map.of("registry forbidden", 1L),
                () -> cp.put("/v1/instances/" + ordersInstance + "/heartbeat", ORDERS_TOKEN));
        assertThat(ordersInstances()).as("orders' instances after the refused registration and deregistration")
                .isEqualTo(ordersInstances).hasSize(1);

        // Not a refusal: the CA ignores what a CSR asks for and names the token's service.
        Map<String, Long> before = refusedCounters();
        HttpResponse<String> asked = certificate(FRONTEND_TOKEN, "frontend", csrAskingFor("orders"));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
        X509Certificate leaf = Pem.certificates(
                TestControlPlane.read(asked.body(), CertificateResponse.class).certificateChain()).get(0);
        SpiffeId issued = SvidVerifier.idOf(leaf);
        report.line("CSR of frontend asking for orders' identity (CN and URI SAN)", "answered 200 with a "
                + "certificate for " + issued + " (" + leaf.getSubjectAlternativeNames().size() + " SAN); counted "
                + describe(moved(before, refusedCounters())));
        assertThat(issued).isEqualTo(SpiffeId.parse("spiffe://weft.local/ns/default/sa/frontend"));
        assertThat(leaf.getSubjectAlternativeNames()).hasSize(1);
        assertThat(moved(before, refusedCounters())).isEmpty();

        // There are no one-time bootstrap tokens: a token used again is a token used.
        HttpResponse<String> again = cp.get("/v1/snapshot?service=frontend", FRONTEND_TOKEN);
        report.line("the same service token presented again (\"replay\")", "answered " + again.statusCode()
                + ": tokens are long-lived per-service bearer tokens, not one-time bootstrap tokens");
        assertThat(again.statusCode()).isEqualTo(200);

        JsonNode refused = cp.status().get("refused");
        report.line("control plane status after the run", refused);
        assertThat(refused.get("unauthenticated").asLong()).isEqualTo(3);
        assertThat(refused.get("forbidden").asLong()).isEqualTo(4);
    }

    /** One control-plane negative: refused with {@code status}, counted as expected, next legitimate call served. */
    private void api(String negative, Supplier<HttpResponse<String>> attempt, int status, Map<String, Long> counted,
                     Supplier<HttpResponse<String>> legitimate) {
        Map<String, Long> before = refusedCounters();
        HttpResponse<String> refused = attempt.get();
        Map<String, Long> moved = moved(before, refusedCounters());
        HttpResponse<String> next = legitimate.get();

        report.line(negative, "answered " + refused.statusCode() + " " + refused.body() + "; counted "
                + describe(moved) + "; next legitimate call " + next.statusCode());
        assertThat(refused.statusCode()).as(negative + ": " + refused.body()).isEqualTo(status);
        assertThat(moved).as(negative + ": refused counts moved").isEqualTo(counted);
        assertThat(next.statusCode()).as(negative + ": the legitimate call after it: " + next.body())
                .isBetween(200, 299);
    }

    private List<String> ordersInstances() {
        List<String> instances = new ArrayList<>();
        TestControlPlane.json(cp.get("/v1/instances?service=orders", ORDERS_TOKEN).body()).forEach(i -> instances.add(
                i.get("id").asText() + " " + i.get("address").asText() + ":" + i.get("port").asInt()));
        return instances;
    }

    private int legitimateCall() {
        try {
            MeshResponse r = frontend.execute(MeshRequest.get("http://orders/api/items").build());
            return r.status();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The orders runtime's refusal and authorization meters, by reason. */
    private Map<String, Long> ordersCounters() {
        Map<String, Long> counters = new TreeMap<>();
        for (Meter m : ordersMeters.find("weft.inbound.tls.refused").meters()) {
            counters.put("tls " + m.getId().getTag("reason"), Math.round(m.measure().iterator().next().getValue()));
        }
        ordersMeters.find("weft.inbound.authz").tag("decision", "deny").counters().forEach(c ->
                counters.put("authz " + c.getId().getTag("reason"), Math.round(c.count())));
        return counters;
    }

    /** The control plane's {@code refused} status, per API and reason. */
    private Map<String, Long> refusedCounters() {
        Map<String, Long> counters = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> apis = cp.status().get("refused").get("byApi").fields();
        while (apis.hasNext()) {
            Map.Entry<String, JsonNode> api = apis.next();
            api.getValue().fields().forEachRemaining(e -> counters.put(api.getKey() + " " + e.getKey(),
                    e.getValue().asLong()));
        }
        return counters;
    }

    private static Map<String, Long> moved(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> moved = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                moved.put(k, d);
            }
        });
        return moved;
    }

    private static String describe(Map<String, Long> moved) {
        if (moved.isEmpty()) {
            return "nothing";
        }
        StringBuilder s = new StringBuilder();
        moved.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(v > 0 ? " +" : " ").append(v));
        return s.toString();
    }

    /**
     * One request on a connection of its own (so one handshake, and no client retry): the status line, or what
     * the connection did instead.
     */
    private static String rawGet(SSLContext tls, int port) {
        InetAddress host = InetAddress.getLoopbackAddress();
        try (Socket socket = tls == null ? new Socket(host, port) : tls.getSocketFactory().createSocket(host, port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/items HTTP/1.1\r\nHost: orders\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return status == null ? "the connection closed without an answer" : status;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
        }
    }

    private void serve(HttpServer server, WeftRuntime orders) {
        HttpHandler handler = exchange -> {
            handled.incrementAndGet();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", handler).getFilters()
                .add(JdkHttpServerSecurity.authorization(orders.inboundAuthorizer()));
        server.start();
        closing.add(() -> {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        });
    }

    /** A certificate of frontend from the mesh's own CA that has expired: a second replica issuing 2-second ones. */
    private WorkloadMaterial expiredFrontendCertificate() throws Exception {
        WorkloadMaterial brief;
        try (TestControlPlane shortLived = TestControlPlane.start(dir, b -> b.caDir(caDir)
                .certificateTtl(Duration.ofSeconds(2)))) {
            brief = new CertificateClient(settings(shortLived, "frontend", FRONTEND_TOKEN)).request()
                    .get(10, TimeUnit.SECONDS);
        }
        assertThat(brief.trustBundle()).isEqualTo(cp.running().trustBundle());
        WorkloadMaterial issued = brief;
        Await.until(MAX, "the certificate has expired", () -> issued.isExpiredAt(Instant.now()));
        return brief;
    }

    private WorkloadMaterial material(String service, String token) throws Exception {
        return new CertificateClient(settings(cp, service, token)).request().get(10, TimeUnit.SECONDS);
    }

    private ControlPlaneSettings settings(TestControlPlane controlPlane, String service, String token) {
        return new ControlPlaneSettings(controlPlane.running().uri(), ServiceName.of(service), token,
                cache.resolve("requests"), null);
    }

    private static MeshTls mesh(WorkloadMaterial material) {
        return MeshTls.create(IdentitySource.of(material), "weft.local", "default");
    }

    private static SSLContext toOrders(WorkloadMaterial material) {
        return mesh(material).clientContext(ServiceName.of("orders"));
    }

    private HttpResponse<String> certificate(String token, String service, String csr) {
        return cp.post("/v1/certificates", token, "{\"service\":\"" + service + "\",\"csr\":\""
                + csr.replace("\n", "\\n") + "\"}");
    }

    private HttpResponse<String> registration(String token, String service) {
        return cp.post("/v1/instances", token, "{\"service\":\"" + service + "\",\"address\":\"127.0.0.1\","
                + "\"port\":9}");
    }

    /** A CSR whose subject and URI SAN ask for {@code service}'s identity. */
    private static String csrAskingFor(String service) throws Exception {
        KeyPair keys = WorkloadKeys.newKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                GeneralName.uniformResourceIdentifier, "spiffe://weft.local/ns/default/sa/" + service)));
        return Pem.encode(Pem.CERTIFICATE_REQUEST, new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=" + service), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                .getEncoded());
    }

    private WeftRuntime.Builder runtime(String service, String token) {
        return WeftRuntime.builder().controlPlane(cp.running().uri().toString(), token).service(service)
                .cacheDir(cache.resolve(service)).pollWait(Duration.ofSeconds(2));
    }

    private <T extends AutoCloseable> T close(T resource) {
        closing.add(resource);
        return resource;
    }
}
