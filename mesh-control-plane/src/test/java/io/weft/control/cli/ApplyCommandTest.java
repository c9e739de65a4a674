package io.weft.control.cli;

import io.weft.control.support.EtcdReplicas;
import io.weft.control.support.EtcdServer;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.weft.control.support.EtcdReplicas.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code weft apply -f} against replicas on a real etcd: validated, written, never silently overwritten. */
class ApplyCommandTest {

    private static final String PAYMENTS = """
            # payments, version 1
            service: payments
            endpoints:
              - address: 10.0.2.1:8080
            """;

    @TempDir
    static Path etcdDir;
    static EtcdServer etcd;

    @TempDir
    Path dir;

    private EtcdReplicas replicas;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start(etcdDir);
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @BeforeEach
    void startReplicas() {
        replicas = EtcdReplicas.start(etcd, 2);
    }

    @AfterEach
    void stopReplicas() {
        replicas.close();
    }

    @Test
    void appliesEveryServiceOfAFileAsWrittenAndServesItFromEveryReplica() throws Exception {
        Path file = write("mesh.yaml", MeshFiles.ORDERS + "---\n" + PAYMENTS);

        assertThat(apply("-f", file.toString(), "--control-plane", replicas.urls(), "--admin-token", ADMIN_TOKEN))
                .as(err()).isZero();

        assertThat(out()).contains("orders: applied at revision").contains("payments: applied at revision");
        HttpResponse<String> payments = replicas.get(1).get("/v1/config/payments", ADMIN_TOKEN);
        assertThat(payments.statusCode()).isEqualTo(200);
        assertThat(payments.body()).as("stored as written, comments and all").isEqualTo(PAYMENTS);
        assertThat(replicas.get(1).snapshot().services()).extracting(s -> s.service())
                .containsExactly("orders", "payments");

        // Applying again replaces the current revision, read just before.
        write("mesh.yaml", PAYMENTS.replace("10.0.2.1", "10.0.2.2"));
        assertThat(apply("-f", file.toString(), "--control-plane", replicas.urls(), "--admin-token", ADMIN_TOKEN))
                .as(err()).isZero();
        assertThat(replicas.get(0).get("/v1/config/payments", ADMIN_TOKEN).body()).contains("10.0.2.2");
    }

    @Test
    void aStaleRevisionIsAConflictThatNamesTheCurrentOne() throws Exception {
        Path file = write("payments.yaml", PAYMENTS);
        assertThat(apply("-f", file.toString(), "--control-plane", replicas.urls(), "--admin-token", ADMIN_TOKEN,
                "--revision", "0")).as(err()).isZero();
        long seen = revision(0, "payments");
        // Another admin changes it at the other replica in the meantime.
        replicas.apply(1, "payments", PAYMENTS.replace("10.0.2.1", "10.0.2.3"));
        long current = revision(0, "payments");

        write("payments.yaml", PAYMENTS.replace("10.0.2.1", "10.0.2.9"));
        int code = apply("-f", file.toString(), "--control-plane", replicas.urls(), "--admin-token", ADMIN_TOKEN,
                "--revision", Long.toString(seen));

        assertThat(code).isEqualTo(1);
        assertThat(err()).contains("payments: conflict (409)")
                .contains("Its current revision is " + current).contains("--revision " + current);
        assertThat(replicas.get(0).get("/v1/config/payments", ADMIN_TOKEN).body())
                .as("the other admin's change stays").contains("10.0.2.3");

        HttpResponse<String> direct = EtcdReplicas.putConfig(replicas.get(1), "payments", PAYMENTS, "\"" + seen + "\"");
        assertThat(direct.statusCode()).isEqualTo(409);
        assertThat(TestControlPlane.json(direct.body()).get("currentRevision").asLong()).isEqualTo(current);
        assertThat(direct.headers().firstValue("ETag")).hasValue("\"" + current + "\"");
    }

    @Test
    void anInvalidConfigIsRejectedWithTheValidatorsMessageAndNothingChanges() throws Exception {
        replicas.apply(0, "orders", MeshFiles.ORDERS);
        long revision = revision(0, "orders");
        long version = replicas.get(1).snapshot().version();
        String invalid = """
                service: orders
                endpoints:
                  - address: 10.0.0.1:8080
                  - address: not-an-address
                """;
        Path file = write("orders.yaml", PAYMENTS + "---\n" + invalid);

        int code = apply("-f", file.toString(), "--control-plane", replicas.urls(), "--admin-token", ADMIN_TOKEN);

        assertThat(code).isEqualTo(1);
        assertThat(err()).contains("orders.yaml is invalid; nothing was applied")
                .contains("orders.yaml:9: endpoints[1].address: ").contains("not-an-address");
        assertThat(replicas.get(0).get("/v1/config/payments", ADMIN_TOKEN).statusCode())
                .as("not even the valid service of the file").isEqualTo(404);

        // The API checks the same way, whoever calls it.
        HttpResponse<String> direct = EtcdReplicas.putConfig(replicas.get(0), "orders", invalid, "" + revision);
        assertThat(direct.statusCode()).isEqualTo(400);
        assertThat(TestControlPlane.json(direct.body()).get("error").asText())
                .startsWith("orders.yaml:4: endpoints[1].address: ").contains("not-an-address");
        assertThat(revision(1, "orders")).isEqualTo(revision);
        assertThat(replicas.get(1).snapshot().version()).isEqualTo(version);
        assertThat(replicas.get(1).status().get("lastRejected").isNull()).isTrue();
    }

    @Test
    void theAdminApiNeedsTheAdminTokenAndARevision() {
        TestControlPlane replica = replicas.get(0);
        HttpResponse<String> asService = replica.send(replica.request("/v1/config/orders",
                        TestControlPlane.ORDERS_TOKEN).header("If-Match", "0")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(MeshFiles.ORDERS)).build());
        assertThat(asService.statusCode()).isEqualTo(403);
        assertThat(asService.body()).contains("admin token");

        HttpResponse<String> noRevision = EtcdReplicas.putConfig(replica, "orders", MeshFiles.ORDERS, null);
        assertThat(noRevision.statusCode()).isEqualTo(428);

        HttpResponse<String> otherService = EtcdReplicas.putConfig(replica, "payments", MeshFiles.ORDERS, "0");
        assertThat(otherService.statusCode()).isEqualTo(400);
        assertThat(otherService.body()).contains("'orders' is not 'payments'");

        // The admin token is for config only.
        assertThat(replica.get("/v1/snapshot?service=orders", ADMIN_TOKEN).statusCode()).isEqualTo(403);
    }

    @Test
    void aDeleteNamesTheRevisionItRemovesToo() {
        replicas.apply(0, "payments", PAYMENTS);
        long revision = revision(0, "payments");
        replicas.apply(0, "payments", PAYMENTS.replace("10.0.2.1", "10.0.2.4"));

        assertThat(delete(revision).statusCode()).isEqualTo(409);
        HttpResponse<String> deleted = delete(revision(0, "payments"));

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(replicas.get(1).get("/v1/config/payments", ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(replicas.get(0).snapshot().services()).noneMatch(s -> s.service().equals("payments"));
        assertThat(delete(0).statusCode()).as("nothing to delete").isEqualTo(404);
    }

    private HttpResponse<String> delete(long revision) {
        return replicas.get(0).send(replicas.get(0).request("/v1/config/payments", ADMIN_TOKEN)
                .header("If-Match", Long.toString(revision)).DELETE().build());
    }

    @Test
    void aControlPlaneOnFilesSaysWhereItsConfigComesFrom() throws Exception {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        try (TestControlPlane files = TestControlPlane.start(dir, b -> b.adminToken(ADMIN_TOKEN))) {
            int code = apply("-f", write("payments.yaml", PAYMENTS).toString(), "--control-plane",
                    files.running().uri().toString(), "--admin-token", ADMIN_TOKEN);

            assertThat(code).isEqualTo(1);
            assertThat(err()).contains("payments: refused (404)").contains("--store etcd");
        }
    }

    @Test
    void badCommandLinesExitWith2() throws Exception {
        Path file = write("payments.yaml", PAYMENTS);
        assertThat(apply("--control-plane", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(err()).contains("-f FILE is required").contains("Usage:");
        assertThat(apply("-f", file.toString())).isEqualTo(2);
        assertThat(apply("-f", file.toString(), "--control-plane", "ftp://x")).isEqualTo(2);
        assertThat(apply("-f", file.toString(), "--control-plane", "http://x", "--revision", "-1")).isEqualTo(2);
        assertThat(apply("--help")).isZero();
        assertThat(out()).contains("Usage: java -jar weft-control-plane.jar apply");
    }

    private long revision(int replica, String service) {
        return Long.parseLong(replicas.get(replica).get("/v1/config/" + service, ADMIN_TOKEN).headers()
                .firstValue("X-Weft-Revision").orElseThrow());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private int apply(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        return ApplyCommand.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
