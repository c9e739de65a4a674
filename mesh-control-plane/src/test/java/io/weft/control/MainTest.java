package io.weft.control;

import io.weft.control.support.MeshFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aBadArgumentExitsWith2AndNamesIt() {
        Main.Launch launch = launch("--config-dir", dir.toString(), "--no-auth", "--port", "lots");

        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(launch.running()).isNull();
        assertThat(err()).contains("--port: 'lots' is not a port number").contains("Usage:");
    }

    @Test
    void noAuthModeChosenExitsWith2() {
        Main.Launch launch = launch("--config-dir", dir.toString());

        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(err()).contains("refusing to start without authentication");
    }

    @Test
    void anInvalidConfigExitsWith1AndShowsTheErrors() {
        MeshFiles.write(dir, "orders.yaml", "service: orders\nendpoints: [ { address: nowhere } ]\n");

        Main.Launch launch = launch("--config-dir", dir.toString(), "--no-auth", "--port", "0");

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(err()).contains("cannot start").contains("orders.yaml:2: endpoints[0].address");
    }

    @Test
    void aBadTokensFileExitsWith1() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.yaml"), "services: { orders: same, frontend: same }\n");

        Main.Launch launch = launch("--config-dir", dir.toString(), "--tokens", tokens.toString(), "--port", "0");

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(err()).contains("same token");
    }

    @Test
    void startsWithATokensFile() throws Exception {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        Path tokens = Files.writeString(dir.resolve("tokens.yml.secret"), "services: { orders: s3cret }\n");

        Main.Launch launch = launch("--config-dir", dir.toString(), "--tokens", tokens.toString(), "--port", "0");

        assertThat(launch.running()).as(err()).isNotNull();
        try (RunningControlPlane running = launch.running()) {
            HttpClient client = HttpClient.newHttpClient();
            URI snapshot = running.uri().resolve("/v1/snapshot?service=orders");
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(snapshot)
                    .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(snapshot).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(denied.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aTakenPortExitsWith1() throws Exception {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Main.Launch launch = launch("--config-dir", dir.toString(), "--no-auth",
                    "--port", Integer.toString(taken.getLocalPort()));

            assertThat(launch.exitCode()).isEqualTo(1);
            assertThat(err()).contains("cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void helpExitsWith0() {
        Main.Launch launch = launch("--help");

        assertThat(launch.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage:");
    }

    private Main.Launch launch(String... args) {
        return Main.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
