package io.weft.agent.it.support;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.weft.control.ControlPlane;
import io.weft.control.RunningControlPlane;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.inbound.JdkHttpServerSecurity;
import io.weft.runtime.security.PeerIdentity;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A mesh with security on, for the agent's mTLS scenario: a control plane serving its API over TLS with a CA, and
 * {@code vault}, a STRICT service whose workload (an HTTPS server in the test JVM with its own runtime and
 * certificate) lets {@code frontend} read {@code /secret/*} and nothing else. It answers {@code peer=<caller>}.
 */
public final class ItSecureMesh implements AutoCloseable {

    public static final String VAULT_TOKEN = "vault-it-token";

    private final RunningControlPlane controlPlane;
    private final Path caPem;
    private final WeftRuntime vault;
    private final HttpsServer server;

    private ItSecureMesh(RunningControlPlane controlPlane, Path caPem, WeftRuntime vault, HttpsServer server) {
        this.controlPlane = controlPlane;
        this.caPem = caPem;
        this.vault = vault;
        this.server = server;
    }

    public static ItSecureMesh start(Path dir) throws Exception {
        Path configDir = Files.createDirectories(dir.resolve("secure-mesh"));
        Files.writeString(configDir.resolve("vault.yaml"), """
                service: vault
                policy: { tls: { mode: STRICT } }
                authorization:
                  - allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/secret/*" ], methods: [ GET ] }
                """);
        Files.writeString(configDir.resolve("frontend.yaml"), "service: frontend\n");
        Path caDir = dir.resolve("ca");
        RunningControlPlane cp = ControlPlane.builder().configDir(configDir).host("127.0.0.1").port(0).workerThreads(1)
                .tokens(Map.of(ItMesh.SERVICE, ItMesh.TOKEN, "vault", VAULT_TOKEN))
                .caDir(caDir).tls().build().start();
        Path caPem = caDir.resolve("root.pem");
        WeftRuntime vault = null;
        HttpsServer server = null;
        try {
            vault = WeftRuntime.builder().controlPlane(cp.uri().toString(), VAULT_TOKEN).controlPlaneCa(caPem)
                    .service("vault").cacheDir(dir.resolve("vault-cache")).pollWait(Duration.ofSeconds(2)).build();
            if (!vault.awaitConfig(Duration.ofSeconds(30))) {
                throw new IllegalStateException("vault got no config and certificate: " + vault.identity().status());
            }
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(JdkHttpServerSecurity.mtls(vault.identity()));
            server.createContext("/", exchange -> {
                String peer = PeerIdentity.of(((HttpsExchange) exchange).getSSLSession()).map(Object::toString)
                        .orElse("-");
                byte[] body = ("peer=" + peer).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }).getFilters().add(JdkHttpServerSecurity.authorization(vault.inboundAuthorizer()));
            server.start();
            vault.register("127.0.0.1", server.getAddress().getPort(), Map.of());
            awaitRegistered(vault);
            return new ItSecureMesh(cp, caPem, vault, server);
        } catch (Exception | Error e) {
            if (server != null) {
                server.stop(0);
            }
            if (vault != null) {
                vault.close();
            }
            cp.close();
            throw e;
        }
    }

    /** The runtime's own snapshot shows vault's endpoint once the control plane has published it. */
    private static void awaitRegistered(WeftRuntime vault) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (vault.engine().snapshot().service("vault") == null
                || vault.engine().snapshot().service("vault").endpoints().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("vault's registration never showed in a snapshot");
            }
            Thread.sleep(50);
        }
    }

    /** Agent arguments: {@code frontend} at the https control plane, trusting its CA. */
    public String agentArgs(Path cacheDir) {
        return "service=" + ItMesh.SERVICE + ",controlPlane=" + controlPlane.uri() + ",token=" + ItMesh.TOKEN
                + ",controlPlaneCa=" + caPem + ",cacheDir=" + cacheDir + ",awaitConfig=30s";
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop(0);
            vault.close();
        } finally {
            controlPlane.close();
        }
    }
}
