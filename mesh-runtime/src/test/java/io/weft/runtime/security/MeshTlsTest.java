package io.weft.runtime.security;

import io.weft.api.ServiceName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real handshakes on 127.0.0.1 between mesh contexts, with material from a test CA. */
class MeshTlsTest {

    private static final String TD = "weft.local";
    private static final SpiffeId ORDERS = SpiffeId.forWorkload(TD, "default", "orders");
    private static final SpiffeId FRONTEND = SpiffeId.forWorkload(TD, "default", "frontend");

    private final TestCa ca = new TestCa("mesh");

    @Test
    void bothSidesProveTheirIdentityAndSeeTheOthers() throws Exception {
        MeshTls server = mesh(ca.issue(ORDERS));
        MeshTls client = mesh(ca.issue(FRONTEND));
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext());
             TlsTestClient connection = TlsTestClient.connect(client.clientContext(ServiceName.of("orders")),
                     echo.port())) {
            assertThat(connection.call("hello")).isEqualTo(FRONTEND + " hello");
            assertThat(SvidVerifier.idOf(connection.serverCertificate())).isEqualTo(ORDERS);
            assertThat(echo.peers()).containsExactly(FRONTEND);
            assertThat(echo.failures()).isEmpty();
        }
    }

    @Test
    void theServerContextRequiresAClientCertificate() throws Exception {
        MeshTls server = mesh(ca.issue(ORDERS));
        // Trusts the mesh CA but has no certificate of its own.
        SSLContext anonymous = SSLContext.getInstance("TLS");
        anonymous.init(null, new javax.net.ssl.TrustManager[] {
                SpiffeTrustManager.expecting(IdentitySource.of(ca.issue(FRONTEND)), ORDERS)}, null);
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext())) {
            assertThatThrownBy(() -> TlsTestClient.callOnce(anonymous, echo.port(), "hello"))
                    .isInstanceOf(IOException.class);
            awaitFailure(echo, "certificate");
            assertThat(echo.peers()).isEmpty();
            // The JDK refuses an empty client chain itself: the trust manager, and so the count, never sees it.
            assertThat(refusals(server)).isZero();
        }
    }

    @Test
    void aClientRefusesAServerWithAnotherIdentity() throws Exception {
        MeshTls server = mesh(ca.issue(ORDERS));
        MeshTls client = mesh(ca.issue(FRONTEND));
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext())) {
            assertThatThrownBy(() -> TlsTestClient.callOnce(client.clientContext(ServiceName.of("payments")),
                    echo.port(), "hello"))
                    .isInstanceOf(IOException.class)
                    .hasStackTraceContaining("peer is " + ORDERS + ", expected "
                            + SpiffeId.forWorkload(TD, "default", "payments"));
            assertThat(echo.peers()).isEmpty();
        }
    }

    @Test
    void aServerRefusesACertificateFromAnotherCa() throws Exception {
        MeshTls server = mesh(ca.issue(ORDERS));
        TestCa stranger = new TestCa("stranger");
        WorkloadMaterial foreign = stranger.issue(FRONTEND);
        // The client trusts the mesh CA, so only the server's check can stop this.
        MeshTls client = mesh(new WorkloadMaterial(FRONTEND, foreign.privateKey(), foreign.chain(), ca.bundle()));
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext())) {
            assertThatThrownBy(() -> TlsTestClient.callOnce(client.clientContext(ServiceName.of("orders")),
                    echo.port(), "hello")).isInstanceOf(IOException.class);
            awaitFailure(echo, "not issued by a CA of the bundle");
            assertThat(server.inboundRefusals().count(InboundTlsRefusals.Reason.UNTRUSTED_CA)).isOne();
            assertThat(refusals(server)).isOne();
        }
    }

    @Test
    void aServerRefusesAnIdentityOfAnotherTrustDomainAndCountsIt() throws Exception {
        MeshTls server = mesh(ca.issue(ORDERS));
        SpiffeId elsewhere = SpiffeId.forWorkload("other.example", "default", "frontend");
        // Issued by the mesh's own CA, so only the identity check can refuse it.
        MeshTls client = mesh(ca.issue(elsewhere));
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext())) {
            assertThatThrownBy(() -> TlsTestClient.callOnce(client.clientContext(ServiceName.of("orders")),
                    echo.port(), "hello")).isInstanceOf(IOException.class);
            awaitFailure(echo, "peer is " + elsewhere);
            assertThat(server.inboundRefusals().count(InboundTlsRefusals.Reason.NOT_A_MESH_IDENTITY)).isOne();
            assertThat(refusals(server)).isOne();
        }
    }

    @Test
    void aServerRefusesAnExpiredCertificate() throws Exception {
        MeshTls server = mesh(ca.issue(ORDERS));
        Instant now = Instant.now();
        MeshTls client = mesh(ca.issue(FRONTEND, now.minusSeconds(120), now.minusSeconds(60)));
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext())) {
            assertThatThrownBy(() -> TlsTestClient.callOnce(client.clientContext(ServiceName.of("orders")),
                    echo.port(), "hello")).isInstanceOf(IOException.class);
            awaitFailure(echo, "expired");
            assertThat(server.inboundRefusals().count(InboundTlsRefusals.Reason.EXPIRED)).isOne();
            assertThat(refusals(server)).isOne();
        }
    }

    @Test
    void afterAServerRotationNewHandshakesGetTheNewCertificateAndOpenConnectionsKeepWorking() throws Exception {
        MutableSource serverIdentity = new MutableSource(ca.issue(ORDERS));
        MeshTls server = MeshTls.create(serverIdentity, TD, "default");
        MeshTls client = mesh(ca.issue(FRONTEND));
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext());
             TlsTestClient kept = TlsTestClient.connect(client.clientContext(ServiceName.of("orders")), echo.port())) {
            X509Certificate first = kept.serverCertificate();
            assertThat(kept.call("one")).endsWith("one");

            serverIdentity.set(ca.issue(ORDERS));

            // Another client: nothing cached to resume, so a full handshake.
            SSLContext other = mesh(ca.issue(FRONTEND)).clientContext(ServiceName.of("orders"));
            try (TlsTestClient fresh = TlsTestClient.connect(other, echo.port())) {
                assertThat(fresh.call("two")).endsWith("two");
                assertThat(fresh.serverCertificate().getSerialNumber())
                        .isEqualTo(serverIdentity.current().leaf().getSerialNumber())
                        .isNotEqualTo(first.getSerialNumber());
            }
            assertThat(kept.call("three")).isEqualTo(FRONTEND + " three");
            assertThat(echo.failures()).isEmpty();
        }
    }

    @Test
    void afterAClientRotationItsNextConnectionPresentsTheNewCertificateInsteadOfResuming() throws Exception {
        MeshTls server = mesh(ca.issue(ORDERS));
        MutableSource clientIdentity = new MutableSource(ca.issue(FRONTEND));
        SSLContext toOrders = MeshTls.create(clientIdentity, TD, "default").clientContext(ServiceName.of("orders"));
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext())) {
            TlsTestClient.callOnce(toOrders, echo.port(), "one");
            TlsTestClient.callOnce(toOrders, echo.port(), "two");
            clientIdentity.set(ca.issue(FRONTEND));
            TlsTestClient.callOnce(toOrders, echo.port(), "three");

            assertThat(echo.peerSerials()).hasSize(3);
            assertThat(echo.peerSerials().get(2)).isEqualTo(clientIdentity.current().leaf().getSerialNumber())
                    .isNotEqualTo(echo.peerSerials().get(0));
            assertThat(echo.failures()).isEmpty();
        }
    }

    @Test
    void withoutMaterialEveryHandshakeFails() throws Exception {
        MeshTls server = mesh(ca.issue(ORDERS));
        MeshTls empty = MeshTls.create(() -> null, TD, "default");
        try (TlsEchoServer echo = TlsEchoServer.start(server.serverContext())) {
            assertThatThrownBy(() -> TlsTestClient.callOnce(empty.clientContext(ServiceName.of("orders")),
                    echo.port(), "hello")).isInstanceOf(IOException.class)
                    .hasStackTraceContaining("no trust bundle yet");
        }
    }

    private static long refusals(MeshTls tls) {
        long n = 0;
        for (InboundTlsRefusals.Reason reason : InboundTlsRefusals.Reason.values()) {
            n += tls.inboundRefusals().count(reason);
        }
        return n;
    }

    private static MeshTls mesh(WorkloadMaterial material) {
        return MeshTls.create(IdentitySource.of(material), TD, "default");
    }

    private static void awaitFailure(TlsEchoServer echo, String message) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (echo.failures().stream().anyMatch(f -> stackTrace(f).contains(message))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no server-side failure mentioning '" + message + "': "
                + echo.failures().stream().map(MeshTlsTest::stackTrace).toList());
    }

    private static String stackTrace(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c).append('\n');
        }
        return s.toString();
    }

    /** An identity that the test rotates by hand. */
    private static final class MutableSource implements IdentitySource {
        private volatile WorkloadMaterial material;
        private final List<Consumer<WorkloadMaterial>> listeners = new CopyOnWriteArrayList<>();

        MutableSource(WorkloadMaterial material) {
            this.material = material;
        }

        void set(WorkloadMaterial next) {
            material = next;
            listeners.forEach(l -> l.accept(next));
        }

        @Override
        public WorkloadMaterial current() {
            return material;
        }

        @Override
        public void onRotation(Consumer<WorkloadMaterial> listener) {
            listeners.add(listener);
        }
    }
}
