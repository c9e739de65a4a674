package example.sidecar;

import io.weft.control.ControlPlane;
import io.weft.control.RunningControlPlane;
import io.weft.sidecar.Sidecar;
import io.weft.sidecar.SidecarSettings;
import io.weft.sidecar.cli.AppRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What run.sh does, in one JVM: the sample's config (mesh/) in a control plane, the two payments versions
 * (app/payments.py) each behind its sidecar, and the shop (app/shop.py) run by its sidecar.
 */
class SidecarPythonSampleTest {

    private static final Path SAMPLE = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void theShopChargesThroughTheMeshAndItsExitCodeComesBack() throws Exception {
        RunningControlPlane controlPlane = ControlPlane.builder().configDir(SAMPLE.resolve("mesh")).host("127.0.0.1")
                .port(0).noAuth().workerThreads(1).build().start();
        started.add(controlPlane);
        String url = controlPlane.uri().toString();
        for (String version : List.of("v1", "v2")) {
            int port = freePort();
            Process app = new ProcessBuilder("python3", SAMPLE.resolve("app/payments.py").toString(), Integer.toString(port), version)
                    .inheritIO().start();
            started.add(() -> {
                app.destroy();
                app.waitFor(5, TimeUnit.SECONDS);
            });
            started.add(Sidecar.start(SidecarSettings.builder().service("payments").controlPlane(url, null)
                    .cacheDir(dir.resolve("cache-" + version)).app("127.0.0.1", port).label("version", version)
                    .inbound("127.0.0.1", 0).outbound("127.0.0.1", 0).workerThreads(1).build()));
        }
        Sidecar shop = Sidecar.start(SidecarSettings.builder().service("shop").controlPlane(url, null)
                .cacheDir(dir.resolve("cache-shop")).outbound("127.0.0.1", 0).workerThreads(1).build());
        started.add(shop);

        int exit = new AppRunner(shop, List.of("python3", SAMPLE.resolve("app/shop.py").toString(), "20"), false).run();

        assertThat(exit).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
