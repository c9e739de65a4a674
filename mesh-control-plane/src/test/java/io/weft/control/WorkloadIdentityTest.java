package io.weft.control;

import io.weft.api.ServiceName;
import io.weft.control.ca.CaSettings;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.control.ControlPlaneSettings;
import io.weft.runtime.security.CertificateClient;
import io.weft.runtime.security.CertificateStatus;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.MeshTls;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.TlsEchoServer;
import io.weft.runtime.security.TlsTestClient;
import io.weft.runtime.security.WorkloadCertificates;
import io.weft.runtime.security.WorkloadKeys;
import io.weft.runtime.security.WorkloadMaterial;
import io.weft.runtime.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The runtime's workload identity against a real control plane: certificates issued over the API, mutual TLS
 * handshakes with them on 127.0.0.1, refusals, expiry and rotation.
 */
class WorkloadIdentityTest {

    private static final Duration MAX = Duration.ofSeconds(10);
    private static final SpiffeId ORDERS = SpiffeId.parse("spiffe://weft.local/ns/default/sa/orders");
    private static final SpiffeId FRONTEND = SpiffeId.parse("spiffe://weft.local/ns/default/sa/frontend");

    @TempDir
    Path dir;

    @TempDir
    Path caDir;

    @TempDir
    Path cache;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void setUp() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void issuedCertificatesMakeAMutualTlsConnection() throws Exception {
        TestControlPlane cp = controlPlane(null);
        WorkloadCertificates orders = certificates(cp, "orders", ORDERS_TOKEN);
        WorkloadCertificates frontend = certificates(cp, "frontend", FRONTEND_TOKEN);

        TlsEchoServer server = close(TlsEchoServer.start(mesh(orders).serverContext()));
        try (TlsTestClient client = TlsTestClient.connect(mesh(frontend).clientContext(ServiceName.of("orders")),
                server.port())) {
            assertThat(client.call("hi")).isEqualTo(FRONTEND + " hi");
        }
        assertThat(server.peers()).containsExactly(FRONTEND);
        CertificateStatus status = orders.status();
        assertThat(status.state()).isEqualTo(CertificateStatus.State.VALID);
        assertThat(status.id()).isEqualTo(ORDERS);
        assertThat(Duration.between(Instant.now(), status.notAfter()).toMinutes()).isCloseTo(24 * 60, within(2L));
        assertThat(status.nextRenewalAt()).isBetween(Instant.now().plus(Duration.ofHours(9)),
                Instant.now().plus(Duration.ofHours(15)));
        assertThat(status.rotations()).isEqualTo(1);
        assertThat(status.lastError()).isNull();
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        TestControlPlane cp = controlPlane(null);
        WorkloadCertificates orders = certificates(cp, "orders", ORDERS_TOKEN);
        CertificateAuthority stranger = CertificateAuthority.inMemory(CaSettings.in(caDir.resolve("unused")),
                Clock.systemUTC());
        KeyPair keys = WorkloadKeys.newKeyPair();
        // Same trust domain, same identity, another CA; the client trusts the mesh so only the server can refuse.
        WorkloadMaterial foreign = new WorkloadMaterial(FRONTEND, keys.getPrivate(),
                stranger.issueWorkload(WorkloadKeys.certificationRequest(keys, "frontend"), "frontend"),
                cp.running().trustBundle());

        TlsEchoServer server = close(TlsEchoServer.start(mesh(orders).serverContext()));
        SSLContext client = mesh(IdentitySource.of(foreign)).clientContext(ServiceName.of("orders"));
        assertThatThrownBy(() -> TlsTestClient.callOnce(client, server.port(), "hi")).isInstanceOf(IOException.class);
        awaitServerFailure(server, "not issued by a CA of the bundle");
        assertThat(server.peers()).isEmpty();
    }

    @Test
    void aValidCertificateOfAnotherIdentityIsRefusedByTheClient() throws Exception {
        TestControlPlane cp = controlPlane(null);
        WorkloadCertificates frontend = certificates(cp, "frontend", FRONTEND_TOKEN);
        // A server that is a valid mesh workload, but frontend, where the client wants orders.
        TlsEchoServer impostor = close(TlsEchoServer.start(mesh(frontend).serverContext()));

        SSLContext toOrders = mesh(frontend).clientContext(ServiceName.of("orders"));
        assertThatThrownBy(() -> TlsTestClient.callOnce(toOrders, impostor.port(), "hi"))
                .isInstanceOf(IOException.class)
                .hasStackTraceContaining("peer is " + FRONTEND + ", expected " + ORDERS);
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        TestControlPlane longLived = controlPlane(null);
        WorkloadCertificates orders = certificates(longLived, "orders", ORDERS_TOKEN);
        // Same CA directory, so the same root; two-second certificates.
        TestControlPlane shortLived = controlPlane(Duration.ofSeconds(2));
        WorkloadMaterial brief = new CertificateClient(settings(shortLived, "frontend", FRONTEND_TOKEN)).request()
                .get(10, TimeUnit.SECONDS);
        assertThat(brief.trustBundle()).isEqualTo(longLived.running().trustBundle());
        Await.until(MAX, "the certificate has expired", () -> brief.isExpiredAt(Instant.now()));

        TlsEchoServer server = close(TlsEchoServer.start(mesh(orders).serverContext()));
        SSLContext client = mesh(IdentitySource.of(brief)).clientContext(ServiceName.of("orders"));
        assertThatThrownBy(() -> TlsTestClient.callOnce(client, server.port(), "hi")).isInstanceOf(IOException.class);
        awaitServerFailure(server, "expired");
    }

    @Test
    void aRefusedRequestLeavesNoCertificateAndSaysWhy() throws Exception {
        TestControlPlane cp = controlPlane(null);
        WorkloadCertificates wrongToken = new WorkloadCertificates(settings(cp, "orders", FRONTEND_TOKEN), scheduler);
        close(wrongToken);
        wrongToken.start();

        Await.until(MAX, "the request failed", () -> wrongToken.status().lastError() != null);
        CertificateStatus status = wrongToken.status();
        assertThat(status.state()).isEqualTo(CertificateStatus.State.PENDING);
        assertThat(status.lastError()).isEqualTo("certificate request refused: 403 this token belongs to service "
                + "'frontend', not to 'orders'");
        assertThat(status.failures()).isPositive();
        assertThat(wrongToken.current()).isNull();
    }

    @Test
    void whenTheControlPlaneIsGoneTheCertificateExpiresVisibly() throws Exception {
        TestControlPlane cp = controlPlane(Duration.ofSeconds(2));
        WorkloadCertificates orders = certificates(cp, "orders", ORDERS_TOKEN);
        Instant notAfter = orders.current().notAfter();
        cp.close();

        Await.until(MAX, "the certificate has expired", () -> Instant.now().isAfter(notAfter));
        Await.until(MAX, "the status says so", () -> orders.status().state() == CertificateStatus.State.EXPIRED
                && orders.status().lastError() != null);
        assertThat(orders.status().lastError()).contains("unreachable");
        assertThat(orders.current().notAfter()).isEqualTo(notAfter);
    }

    @Test
    void certificatesRotateUnderTrafficWithoutAFailedCall() throws Exception {
        TestControlPlane cp = controlPlane(Duration.ofSeconds(4));
        WorkloadCertificates orders = certificates(cp, "orders", ORDERS_TOKEN);
        WorkloadCertificates frontend = certificates(cp, "frontend", FRONTEND_TOKEN);
        AtomicInteger ordersRotations = new AtomicInteger();
        AtomicInteger frontendRotations = new AtomicInteger();
        orders.onRotation(m -> ordersRotations.incrementAndGet());
        frontend.onRotation(m -> frontendRotations.incrementAndGet());

        TlsEchoServer server = close(TlsEchoServer.start(mesh(orders).serverContext()));
        SSLContext toOrders = mesh(frontend).clientContext(ServiceName.of("orders"));
        Set<BigInteger> serverSerials = new HashSet<>();
        List<String> failures = new ArrayList<>();
        int calls = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (TlsTestClient kept = TlsTestClient.connect(toOrders, server.port())) {
            // Two renewals on each side, over new connections and the one kept open since the first certificate.
            while ((ordersRotations.get() < 2 || frontendRotations.get() < 2) && calls < 600
                    && System.nanoTime() < deadline) {
                calls++;
                try {
                    assertThat(kept.call("kept " + calls)).isEqualTo(FRONTEND + " kept " + calls);
                    try (TlsTestClient fresh = TlsTestClient.connect(toOrders, server.port())) {
                        assertThat(fresh.call("new " + calls)).isEqualTo(FRONTEND + " new " + calls);
                        serverSerials.add(fresh.serverCertificate().getSerialNumber());
                    }
                } catch (IOException | AssertionError e) {
                    failures.add(calls + ": " + e);
                }
                Thread.sleep(50);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(server.failures()).isEmpty();
        assertThat(ordersRotations.get()).as("orders renewals").isGreaterThanOrEqualTo(2);
        assertThat(frontendRotations.get()).as("frontend renewals").isGreaterThanOrEqualTo(2);
        assertThat(serverSerials).as("server certificates seen by new connections").hasSizeGreaterThanOrEqualTo(2);
        assertThat(new HashSet<>(server.peerSerials())).as("client certificates seen by the server")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(orders.status().lastError()).isNull();
    }

    private TestControlPlane controlPlane(Duration certificateTtl) {
        return close(TestControlPlane.start(dir, b -> {
            b.caDir(caDir);
            if (certificateTtl != null) {
                b.certificateTtl(certificateTtl);
            }
        }));
    }

    private WorkloadCertificates certificates(TestControlPlane cp, String service, String token) throws Exception {
        WorkloadCertificates certificates = close(new WorkloadCertificates(settings(cp, service, token), scheduler));
        certificates.start();
        assertThat(certificates.awaitCertificate(MAX)).as(service + " got a certificate: " + certificates.status())
                .isTrue();
        return certificates;
    }

    private ControlPlaneSettings settings(TestControlPlane cp, String service, String token) {
        return new ControlPlaneSettings(cp.running().uri(), ServiceName.of(service), token, cache, null);
    }

    private static MeshTls mesh(IdentitySource identity) {
        return MeshTls.create(identity, "weft.local", "default");
    }

    private <T extends AutoCloseable> T close(T resource) {
        closing.add(resource);
        return resource;
    }

    private static void awaitServerFailure(TlsEchoServer server, String message) throws InterruptedException {
        Await.until(MAX, "the server refused the client with '" + message + "'", () -> server.failures().stream()
                .anyMatch(f -> {
                    for (Throwable c = f; c != null; c = c.getCause()) {
                        if (String.valueOf(c.getMessage()).contains(message)) {
                            return true;
                        }
                    }
                    return false;
                }));
    }
}
