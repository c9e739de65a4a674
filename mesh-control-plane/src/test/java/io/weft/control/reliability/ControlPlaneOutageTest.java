package io.weft.control.reliability;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.control.ConfigStatus;
import io.weft.runtime.reliability.LoadResults;
import io.weft.runtime.reliability.MeshedScene;
import io.weft.runtime.reliability.OpenLoopLoad;
import io.weft.runtime.reliability.ReliabilityMode;
import io.weft.runtime.reliability.Report;
import io.weft.runtime.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real control plane goes away under load, stays away, and comes back on the same port: no call fails, the
 * runtime reports the outage (status and meters), and once the control plane is back it reconnects and follows a
 * change made while it was away. A runtime restarted during an outage starts from its disk cache:
 * {@code MeshEndToEndTest.aRestartWithTheControlPlaneDownStartsFromTheDiskCache}.
 */
class ControlPlaneOutageTest {

    private static final int RATE = 1000;
    private static final Duration DOWN_AT = Duration.ofSeconds(1);
    private static final Duration DOWN_FOR = ReliabilityMode.pick(Duration.ofSeconds(3), Duration.ofSeconds(120));
    /** The runtime retries with backoff up to 30 s; it is back within that after the control plane is. */
    private static final Duration RECONNECT_WITHIN = Duration.ofSeconds(40);

    @TempDir
    Path dir;
    @TempDir
    Path cache;

    @Test
    void callsGoOnThroughAnOutageAndTheRuntimeFollowsChangesAfterIt() throws Exception {
        try (MeshedScene scene = MeshedScene.start(3)) {
            MeshFiles.write(dir, "orders.yaml", orders(scene, 3));
            TestControlPlane cp = TestControlPlane.start(dir);
            int port = cp.running().port();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            scene.mesh(WeftRuntime.builder().controlPlane(cp.running().uri().toString(), FRONTEND_TOKEN)
                    .service("frontend").cacheDir(cache).pollWait(Duration.ofSeconds(5)).meterRegistry(registry));
            WeftRuntime runtime = scene.runtime();
            assertThat(runtime.awaitConfig(Duration.ofSeconds(10))).as("first config").isTrue();
            long version = runtime.configStatus().version();

            OpenLoopLoad load = new OpenLoopLoad(scene.client(), "http://orders/a", RATE, Duration.ofMinutes(5), true).start();
            load.sleepUntil(DOWN_AT);
            cp.close();
            long down = System.nanoTime();
            Await.until(Duration.ofSeconds(10), "the runtime reports the outage", () -> runtime.configStatus().lastError() != null);
            long noticed = System.nanoTime();
            ConfigStatus during = runtime.configStatus();
            double connected = registry.get("weft.config.connected").gauge().value();
            // A change while the control plane is away: b2 leaves orders. It can only arrive after the restart.
            MeshFiles.write(dir, "orders.yaml", orders(scene, 2));
            load.sleepUntil(DOWN_AT.plus(DOWN_FOR));
            long downFor = System.nanoTime() - down;
            cp = TestControlPlane.start(dir, b -> b.port(port));
            long up = System.nanoTime();
            try (TestControlPlane restarted = cp) {
                Await.until(RECONNECT_WITHIN, "the runtime reconnects", () -> runtime.configStatus().connected());
                long reconnected = System.nanoTime();
                Await.until(Duration.ofSeconds(10), "the change made during the outage is in force",
                        () -> !runtime.configStatus().hash().equals(during.hash()));
                long followed = System.nanoTime();
                load.stop();
                LoadResults results = load.awaitEnd(Duration.ofSeconds(10));

                Report report = new Report("control-plane-outage");
                report.line("outage", Report.millis(downFor) + " under " + RATE + " calls/s (half POSTs), poll wait 5 s");
                report.line("runtime reports it after", Report.millis(noticed - down) + ": " + during.lastError()
                        + "; weft.config.connected " + connected);
                report.line("reconnected after the restart", Report.millis(reconnected - up));
                report.line("change made during the outage in force after the restart", Report.millis(followed - up));
                report.line("calls", results.sent() + ", failed " + results.failed().size() + " " + results.failureKinds());

                assertThat(during.version()).as("version in force during the outage").isEqualTo(version);
                assertThat(connected).as("weft.config.connected during the outage").isZero();
                assertThat(results.failed()).as("failed calls").isEmpty();
            }
        }
    }

    /** orders over the first {@code count} backends of the scene. */
    private static String orders(MeshedScene scene, int count) {
        StringBuilder yaml = new StringBuilder("service: orders\nendpoints:\n");
        for (int i = 0; i < count; i++) {
            yaml.append("  - { address: ").append(scene.backend(i).address()).append(" }\n");
        }
        return yaml.toString();
    }
}
