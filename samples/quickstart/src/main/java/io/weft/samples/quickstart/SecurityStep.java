package io.weft.samples.quickstart;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.control.RunningControlPlane;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.inbound.JdkHttpServerSecurity;
import io.weft.runtime.security.CertificateStatus;
import io.weft.runtime.security.PeerIdentity;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Step 6 of the quickstart: mTLS and authorization. {@code vault} (config {@code mesh/vault.yaml}: STRICT, and only
 * the storefront may GET {@code /secrets/*}) is an HTTPS server with a runtime of its own, whose certificate comes
 * from the control plane's CA like the app's. The app calls it by name as before; the mesh makes the call mTLS.
 */
final class SecurityStep {

    static final String SERVICE = "vault";
    static final String CONFIG_RESOURCE = "mesh/vault.yaml";
    static final String APP_IDENTITY = "spiffe://weft.local/ns/default/sa/" + Quickstart.APP_SERVICE;

    /**
     * What step 6 saw.
     *
     * @param appCertificate    the app's SPIFFE ID and expiry, as its runtime reports them
     * @param allowedStatus     the status of {@code GET http://vault/secrets/recipe}
     * @param callerSeenByVault the caller identity vault's server read from the TLS session
     * @param deniedStatus      the status of {@code GET http://vault/admin} (no rule allows it)
     * @param plaintextRefused  whether a plain HTTP client going straight to vault's port was refused
     */
    record Outcome(String appCertificate, int allowedStatus, String callerSeenByVault, int deniedStatus,
                   boolean plaintextRefused) {
    }

    private SecurityStep() {
    }

    static Outcome run(PrintStream out, List<String> unexpected, WeftRuntime app, MeshClient client,
                       RunningControlPlane cp, String vaultToken, Path cacheDir) throws IOException, InterruptedException {
        CertificateStatus mine = app.identity().status();
        String appCertificate = mine.id() + " until " + mine.notAfter();
        out.printf("   The control plane runs a CA: the app's runtime made a key, sent a CSR with its token and got%n");
        out.printf("   %s (a %s certificate).%n", appCertificate, mine.state());
        try (WeftRuntime vault = WeftRuntime.builder().controlPlane(cp.uri().toString(), vaultToken)
                .service(SERVICE).cacheDir(cacheDir).build()) {
            if (!vault.awaitConfig(Duration.ofSeconds(10))) {
                unexpected.add("security: vault's runtime got no config and certificate: " + vault.identity().status());
                return new Outcome(appCertificate, -1, null, -1, false);
            }
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(JdkHttpServerSecurity.mtls(vault.identity()));
            server.createContext("/", SecurityStep::answer)
                    .getFilters().add(JdkHttpServerSecurity.authorization(vault.inboundAuthorizer()));
            server.start();
            try {
                int port = server.getAddress().getPort();
                vault.register("127.0.0.1", port, Map.of());
                out.printf("   vault (%s: STRICT, only the storefront may GET /secrets/*) serves HTTPS at 127.0.0.1:%d%n",
                        CONFIG_RESOURCE, port);
                out.printf("   with a certificate of its own, and registered itself.%n");
                if (!awaitEndpoint(app)) {
                    unexpected.add("security: vault's registration did not reach the app");
                    return new Outcome(appCertificate, -1, null, -1, false);
                }
                MeshResponse allowed = client.execute(MeshRequest.get("http://vault/secrets/recipe").build());
                String seen = allowed.bodyAsString().replaceFirst("^caller=", "");
                out.printf("   GET http://vault/secrets/recipe -> %d; vault saw the caller as %s%n", allowed.status(), seen);
                MeshResponse denied = client.execute(MeshRequest.get("http://vault/admin").build());
                out.printf("   GET http://vault/admin          -> %d %s (no rule allows it)%n", denied.status(),
                        denied.bodyAsString().strip());
                boolean refused = plaintextRefused(port);
                out.printf("   A plain HTTP client straight at 127.0.0.1:%d -> %s%n", port,
                        refused ? "refused (STRICT takes mTLS only)" : "ANSWERED");
                check(unexpected, allowed.status() == 200, "security: the allowed call got " + allowed.status());
                check(unexpected, APP_IDENTITY.equals(seen), "security: vault saw the caller as '" + seen + "'");
                check(unexpected, denied.status() == 403, "security: the call no rule allows got " + denied.status());
                check(unexpected, refused, "security: vault answered a plaintext request");
                return new Outcome(appCertificate, allowed.status(), seen, denied.status(), refused);
            } finally {
                server.stop(0);
            }
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        String caller = PeerIdentity.of(((HttpsExchange) exchange).getSSLSession()).map(Object::toString).orElse("-");
        byte[] body = ("caller=" + caller).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(body);
        }
    }

    private static boolean awaitEndpoint(WeftRuntime app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            var plan = app.engine().snapshot().service(SERVICE);
            if (plan != null && !plan.endpoints().isEmpty()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean plaintextRefused(int port) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/secrets/recipe"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void check(List<String> unexpected, boolean ok, String failure) {
        if (!ok) {
            unexpected.add(failure);
        }
    }
}
