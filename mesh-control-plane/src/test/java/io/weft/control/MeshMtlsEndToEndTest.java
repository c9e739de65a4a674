package io.weft.control;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.inbound.JdkHttpServerSecurity;
import io.weft.runtime.security.CertificateStatus;
import io.weft.runtime.security.PeerIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole security path with real parts on 127.0.0.1: a control plane serving its API over TLS with a CA that
 * issues 4-second certificates; an orders workload (HTTPS server behind its service's STRICT mode and
 * authorization rules, registered with the control plane); a frontend workload calling it through the runtime's
 * OkHttp adapter. Both renew their certificates several times while the calls go on, and not one call fails.
 */
class MeshMtlsEndToEndTest {

    private static final String ORDERS = """
            service: orders
            policy: { tls: { mode: STRICT } }
            authorization:
              - name: frontend
                allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/api/*" ], methods: [ GET ] }
            """;

    static {
        // The JDK server writes head and body apart; without this each call waits out a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @TempDir
    Path dir;
    @TempDir
    Path caDir;
    @TempDir
    Path cache;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void callsOverMtlsSurviveCertificateRotationsOnBothSidesWithoutOneFailure() throws Exception {
        Files.writeString(dir.resolve("orders.yaml"), ORDERS);
        MeshFiles.write(dir, "frontend.yaml", "service: frontend\n");
        TestControlPlane cp = close(TestControlPlane.start(dir,
                b -> b.caDir(caDir).tls().certificateTtl(Duration.ofSeconds(4))));
        assertThat(cp.running().uri().getScheme()).isEqualTo("https");
        Path caPem = caDir.resolve("root.pem");

        WeftRuntime orders = close(runtime(cp, caPem, "orders", ORDERS_TOKEN));
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        closing.add(() -> server.stop(0));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.setHttpsConfigurator(JdkHttpServerSecurity.mtls(orders.identity()));
        Set<String> peers = ConcurrentHashMap.newKeySet();
        server.createContext("/", exchange -> {
            peers.add(PeerIdentity.of(((HttpsExchange) exchange).getSSLSession()).map(Object::toString).orElse("-"));
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }).getFilters().add(JdkHttpServerSecurity.authorization(orders.inboundAuthorizer()));
        server.start();
        orders.register("127.0.0.1", server.getAddress().getPort(), Map.of());

        WeftRuntime frontend = close(runtime(cp, caPem, "frontend", FRONTEND_TOKEN));
        assertThat(frontend.awaitConfig(Duration.ofSeconds(20))).as("config and certificate").isTrue();
        assertThat(orders.awaitConfig(Duration.ofSeconds(20))).isTrue();
        MeshClient client = close(frontend.client());
        awaitEndpoint(client);

        AtomicInteger calls = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(40).toNanos();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            running.add(callers.submit(() -> {
                // Until both sides have renewed at least three times after their first certificate, and enough calls.
                while ((rotations(orders) < 4 || rotations(frontend) < 4 || calls.get() < 2000)
                        && calls.get() < 50_000 && System.nanoTime() < deadline) {
                    int n = calls.incrementAndGet();
                    try {
                        MeshResponse r = client.execute(MeshRequest.get("http://orders/api/items?n=" + n).build());
                        if (r.status() != 200) {
                            failures.add(n + ": " + r.status() + " " + r.bodyAsString());
                        }
                    } catch (Exception e) {
                        failures.add(n + ": " + e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        callers.shutdown();
        System.out.printf("mTLS calls: %d in %d ms, certificates: orders %d, frontend %d%n", calls.get(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), rotations(orders), rotations(frontend));

        assertThat(failures).as("failed calls of " + calls.get()).isEmpty();
        assertThat(calls.get()).isGreaterThanOrEqualTo(2000);
        assertThat(rotations(orders)).as("orders certificates").isGreaterThanOrEqualTo(4);
        assertThat(rotations(frontend)).as("frontend certificates").isGreaterThanOrEqualTo(4);
        assertThat(peers).containsExactly("spiffe://weft.local/ns/default/sa/frontend");
        assertThat(frontend.identity().status().state()).isEqualTo(CertificateStatus.State.VALID);

        // A method the rule does not allow is refused by the server's policy; the identity was fine.
        MeshResponse post = client.execute(MeshRequest.post("http://orders/api/items", "text/plain", "x").build());
        assertThat(post.status()).isEqualTo(403);
    }

    private WeftRuntime runtime(TestControlPlane cp, Path caPem, String service, String token) {
        return WeftRuntime.builder()
                .controlPlane(cp.running().uri().toString(), token)
                .controlPlaneCa(caPem)
                .service(service)
                .cacheDir(cache.resolve(service))
                .pollWait(Duration.ofSeconds(2))
                .build();
    }

    private static long rotations(WeftRuntime runtime) {
        return runtime.identity().status().rotations();
    }

    private static void awaitEndpoint(MeshClient client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            MeshResponse r = client.execute(MeshRequest.get("http://orders/api/ready").build());
            if (r.status() == 200 || System.nanoTime() > deadline) {
                assertThat(r.status()).as(r.bodyAsString()).isEqualTo(200);
                return;
            }
            Thread.sleep(50);
        }
    }

    private <T extends AutoCloseable> T close(T resource) {
        closing.add(resource);
        return resource;
    }
}
