package io.weft.sidecar;

import io.weft.runtime.support.Backends;
import io.weft.sidecar.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run -- <app>}: the app starts once the sidecar is ready, calls through it, and its exit code is ours. */
class WrapperModeTest {

    /** Calls orders through the sidecar named by WEFT_OUTBOUND_PROXY; exits 7 when the mesh answered, 1 if not. */
    private static final String APP = """
            import os, sys, urllib.request
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": os.environ["WEFT_OUTBOUND_PROXY"]}))
            body = opener.open("http://orders/from-python", timeout=10).read().decode()
            sys.exit(7 if body == "b0" and os.environ.get("WEFT_SERVICE") is None else 1)
            """;

    @TempDir
    Path dir;

    @Test
    void theAppRunsInTheMeshAndItsExitCodeIsTheSidecars() throws Exception {
        try (Backends backends = Backends.start(1)) {
            Path config = TestSidecar.writeConfig(dir, "service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n");
            Integer code = Main.run(new String[]{"--config-file", config.toString(), "--outbound-port", "0",
                    "--drain-timeout", "2s", "run", "--", "python3", "-c", APP}, System.out, System.err);
            assertThat(code).isEqualTo(7);
            assertThat(backends.get(0).server().takeRequest().getPath()).isEqualTo("/from-python");
        }
    }

    @Test
    void theAppDoesNotStartWithoutMeshConfig() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        Path marker = dir.resolve("app-ran");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Integer code = Main.run(new String[]{"--service", "jobs", "--control-plane", "http://127.0.0.1:" + closed,
                        "--cache-dir", dir.resolve("cache").toString(), "--outbound-port", "0", "--ready-timeout", "500ms",
                        "--drain-timeout", "1s", "run", "--", "touch", marker.toString()},
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(Files.exists(marker)).isFalse();
    }
}
