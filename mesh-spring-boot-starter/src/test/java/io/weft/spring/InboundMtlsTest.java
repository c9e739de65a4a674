package io.weft.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.WorkloadMaterial;
import io.weft.runtime.support.Mesh;
import io.weft.spring.inbound.PeerVerifier;
import io.weft.spring.support.MeshCerts;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The app is {@code orders}, a STRICT service whose rules let {@code frontend} call {@code /api/*}; with
 * {@code weft.inbound.mtls=true} its own Tomcat serves the mesh's mTLS with the app's workload certificate. A mesh
 * client with frontend's certificate gets in and the controller sees its SPIFFE ID; every other caller is stopped
 * at the handshake or by the rules, before the controller. The management port is left as it is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "weft.service=orders",
        "weft.config=classpath:weft-inbound-mesh.yaml",
        "weft.inbound.mtls=true",
        "management.server.port=0"})
@DirtiesContext
class InboundMtlsTest {

    private static final AtomicInteger handled = new AtomicInteger();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        WeftRuntimeCustomizer ordersIdentity() {
            return MeshCerts.identity(MeshCerts.ORDERS);
        }

        @Bean
        Controller controller() {
            return new Controller();
        }
    }

    @RestController
    static class Controller {

        @GetMapping("/api/whoami")
        String whoami(HttpServletRequest request) {
            handled.incrementAndGet();
            SpiffeId peer = (SpiffeId) request.getAttribute(PeerVerifier.PEER_IDENTITY_ATTRIBUTE);
            return "peer=" + peer + ";secure=" + request.isSecure();
        }

        @GetMapping("/admin")
        String admin() {
            handled.incrementAndGet();
            return "admin";
        }
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    MeterRegistry registry;

    @BeforeEach
    void reset() {
        handled.set(0);
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMeshCallerWithTheRightIdentityGetsInAndTheControllerSeesIt() throws Exception {
        String config = """
                service: orders
                endpoints: [ { address: 127.0.0.1:%d } ]
                policy: { tls: { mode: STRICT } }
                """.formatted(port);
        try (WeftRuntime frontend = WeftRuntime.builder().config(Mesh.yaml(config))
                .identity(IdentitySource.of(MeshCerts.FRONTEND), null, null).build();
             MeshClient client = frontend.client()) {
            MeshResponse r = client.execute(MeshRequest.get("http://orders/api/whoami").build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyAsString()).isEqualTo("peer=spiffe://weft.local/ns/default/sa/frontend;secure=true");
        }
        assertThat(handled).hasValue(1);
        assertThat(registry.get("weft.inbound.authz").tags("service", "orders", "reason", "allowed-by-rule")
                .counter().count()).isPositive();
    }

    @Test
    void anotherMeshIdentityGets403ByTheRules() throws Exception {
        HttpResponse<String> r = get(MeshCerts.client(MeshCerts.BILLING, "orders"), uri("https", "/api/whoami"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("RBAC: access denied\n");
        assertThat(handled).hasValue(0);
    }

    @Test
    void rulesMatchThePathTheControllerIsChosenBy() throws Exception {
        HttpClient frontend = MeshCerts.client(MeshCerts.FRONTEND, "orders");
        assertThat(get(frontend, uri("https", "/admin")).statusCode()).isEqualTo(403);
        // Each of these reaches the /admin handler if let through; a rule on the raw path would let it through.
        assertThat(get(frontend, uri("https", "/api/../admin")).statusCode()).isEqualTo(403);
        assertThat(get(frontend, uri("https", "/%61dmin")).statusCode()).isEqualTo(403);
        assertThat(handled).hasValue(0);
    }

    @Test
    void aPlaintextClientIsRefused() throws Exception {
        HttpResponse<String> r = get(HttpClient.newHttpClient(), uri("http", "/api/whoami"));
        // Tomcat answers plain HTTP on a TLS port with 400 and closes the connection.
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(handled).hasValue(0);
    }

    @Test
    void theManagementPortIsNeitherMtlsNorAuthorized() throws Exception {
        URI health = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health");
        assertThat(get(HttpClient.newHttpClient(), health).statusCode()).isEqualTo(200);
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAtTheHandshake() {
        double refusedBefore = untrustedCaRefusals();
        HttpClient foreign = MeshCerts.client(MeshCerts.foreignFrontend(), "orders");
        assertThatThrownBy(() -> get(foreign, uri("https", "/api/whoami"))).isInstanceOf(IOException.class);
        assertThat(handled).hasValue(0);
        // Per handshake: the JDK client may send the GET once more on a new connection.
        assertThat(untrustedCaRefusals() - refusedBefore).isPositive();
    }

    private double untrustedCaRefusals() {
        return registry.get("weft.inbound.tls.refused").tags("service", "orders", "reason", "untrusted-ca")
                .functionCounter().count();
    }

    @Test
    void aTlsClientWithoutACertificateIsRefusedAtTheHandshake() throws Exception {
        WorkloadMaterial anyone = MeshCerts.FRONTEND;
        SSLContext noCertificate = SSLContext.getInstance("TLS");
        noCertificate.init(null, new TrustManager[] {io.weft.runtime.security.MeshTls.create(
                IdentitySource.of(anyone), null, null).clientTrustManager(MeshCerts.id("orders"))}, null);
        HttpClient client = HttpClient.newBuilder().sslContext(noCertificate).version(HttpClient.Version.HTTP_1_1).build();
        assertThatThrownBy(() -> get(client, uri("https", "/api/whoami"))).isInstanceOf(IOException.class);
        assertThat(handled).hasValue(0);
    }
}
