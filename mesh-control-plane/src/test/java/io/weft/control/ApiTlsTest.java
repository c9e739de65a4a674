package io.weft.control;

import io.weft.api.ServiceName;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.control.ControlPlaneSettings;
import io.weft.runtime.control.InstanceRegistrar;
import io.weft.runtime.control.RegistrationRequest;
import io.weft.runtime.control.SnapshotPoller;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.lb.LoadBalancers;
import io.weft.runtime.security.CertificateClient;
import io.weft.runtime.security.TrustBundle;
import io.weft.runtime.security.WorkloadMaterial;
import io.weft.runtime.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;

import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API over HTTPS with a certificate from the control plane's own CA, and the runtime's clients trusting it. */
class ApiTlsTest {

    private static final Duration MAX = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @TempDir
    Path caDir;

    @TempDir
    Path cache;

    private TestControlPlane cp;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void start() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        cp = TestControlPlane.start(dir, b -> b.caDir(caDir).tls().tlsNames(List.of("cp.mesh.internal")));
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        cp.close();
    }

    @Test
    void theApiIsHttpsWithACertificateForItsAddressesFromItsOwnCa() throws Exception {
        assertThat(cp.running().uri().getScheme()).isEqualTo("https");
        HttpResponse<String> status = cp.get("/v1/status", null);
        assertThat(status.statusCode()).isEqualTo(200);
        X509Certificate served = (X509Certificate) status.sslSession().orElseThrow().getPeerCertificates()[0];
        List<Object> names = served.getSubjectAlternativeNames().stream().<Object>map(n -> n.get(1)).toList();
        assertThat(names).contains("127.0.0.1", "localhost", "cp.mesh.internal");
        served.verify(cp.running().trustBundle().certificates().get(0).getPublicKey());
    }

    @Test
    void theRuntimesClientsWorkOverTlsWhenGivenTheTrustBundle() throws Exception {
        ControlPlaneSettings settings = settings().withTrustAnchor(cp.running().trustBundle());
        try (SnapshotPoller poller = poller(settings);
             InstanceRegistrar registrar = new InstanceRegistrar(settings,
                     new RegistrationRequest("orders", "10.0.0.8", 8080, Map.of()), scheduler)) {
            AtomicReference<TrustBundle> fromSnapshot = new AtomicReference<>();
            poller.onTrustBundle(fromSnapshot::set);
            poller.start();
            registrar.start();

            assertThat(poller.awaitConfig(MAX.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            Await.until(MAX, "registered over TLS", () -> registrar.id() != null);
            assertThat(fromSnapshot.get()).isEqualTo(cp.running().trustBundle());
            WorkloadMaterial material = new CertificateClient(settings).request().get(10, TimeUnit.SECONDS);
            assertThat(material.id()).hasToString("spiffe://weft.local/ns/default/sa/orders");
        }
    }

    @Test
    void withoutTheTrustBundleTheRuntimeRefusesTheServerAndSaysWhy() throws Exception {
        try (SnapshotPoller poller = poller(settings())) {
            poller.start();
            Await.until(MAX, "the poll failed", () -> poller.status().lastError() != null);
            assertThat(poller.status().lastError()).contains("unreachable").contains("SSLHandshakeException");
            assertThat(poller.awaitConfig(0, TimeUnit.MILLISECONDS)).isFalse();
        }
        // The same with the JDK's default client, and plain HTTP to the TLS port gets no answer either.
        HttpClient client = HttpClient.newHttpClient();
        URI https = cp.running().uri().resolve("/v1/status");
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(https).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        URI http = URI.create(https.toString().replace("https://", "http://"));
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(http).timeout(MAX).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aTrustAnchorWithAPlainHttpUrlIsAMistake() {
        TrustBundle bundle = cp.running().trustBundle();
        assertThatThrownBy(() -> new ControlPlaneSettings(URI.create("http://127.0.0.1:1"), ServiceName.of("orders"),
                ORDERS_TOKEN, cache, null, bundle))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use https://");
    }

    private ControlPlaneSettings settings() {
        return new ControlPlaneSettings(cp.running().uri(), ServiceName.of("orders"), ORDERS_TOKEN, cache,
                Duration.ofSeconds(5));
    }

    private SnapshotPoller poller(ControlPlaneSettings settings) {
        MeshEngine engine = new MeshEngine(LoadBalancers.discover(getClass().getClassLoader()), scheduler, List.of(),
                List.of());
        return new SnapshotPoller(settings, engine, new ConfigLoader(), scheduler);
    }
}
