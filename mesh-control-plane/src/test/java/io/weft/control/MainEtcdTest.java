package io.weft.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.control.support.EtcdServer;
import io.weft.control.support.TestControlPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line with {@code --store etcd}: a replica with the admin token of the tokens file and a CA in etcd. */
class MainEtcdTest {

    @TempDir
    Path dir;

    @Test
    void startsAReplicaOnEtcd() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.yaml"), "services: { orders: s3cret }\nadmin: adm1n\n");
        Path passphrase = Files.writeString(dir.resolve("ca-passphrase"), "long random passphrase\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"))) {
            Main.Launch launch = Main.launch(new String[] {"--store", "etcd", "--etcd-endpoints",
                            etcd.clientUrl().toString(), "--tokens", tokens.toString(), "--ca-passphrase-file",
                            passphrase.toString(), "--port", "0"},
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(launch.running()).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
            try (RunningControlPlane running = launch.running()) {
                HttpClient client = HttpClient.newHttpClient();
                JsonNode status = TestControlPlane.json(client.send(HttpRequest.newBuilder(
                        running.uri().resolve("/v1/status")).build(), HttpResponse.BodyHandlers.ofString()).body());
                assertThat(status.get("store").get("type").asText()).isEqualTo("etcd");
                assertThat(status.get("store").get("location").asText()).contains(etcd.clientUrl().toString())
                        .endsWith("/weft/");
                assertThat(status.has("configDir")).isFalse();
                assertThat(running.trustBundle()).isNotNull();

                HttpRequest.Builder config = HttpRequest.newBuilder(running.uri().resolve("/v1/config/orders"));
                assertThat(client.send(config.header("Authorization", "Bearer adm1n").build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as("the admin token").isEqualTo(404);
                assertThat(client.send(HttpRequest.newBuilder(running.uri().resolve("/v1/config/orders"))
                        .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).as("a service token").isEqualTo(403);
            }
        }
    }

    @Test
    void anUnreachableEtcdExitsWith1() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Launch launch = Main.launch(new String[] {"--store", "etcd", "--etcd-endpoints",
                        "http://127.0.0.1:" + io.weft.runtime.support.Ports.closedPort(), "--no-auth", "--port", "0"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot start: etcd");
    }
}
