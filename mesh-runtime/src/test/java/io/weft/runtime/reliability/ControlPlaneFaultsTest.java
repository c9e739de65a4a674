package io.weft.runtime.reliability;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.control.ConfigStatus;
import io.weft.runtime.engine.Snapshot;
import io.weft.runtime.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control-plane faults as the runtime sees them, with a fake control plane (a real HTTP server on 127.0.0.1):
 * error statuses, garbage, silence, a trickling body, and a snapshot that does not validate. Under load the whole
 * time, calls keep going with the last good config, and the problem shows in {@code configStatus()} and the
 * {@code weft.config.*} meters. The real control plane going away is in mesh-control-plane's
 * {@code io.weft.control.reliability.ControlPlaneOutageTest}.
 */
class ControlPlaneFaultsTest {

    private static final int RATE = 200;
    private static final Duration POLL_WAIT = Duration.ofMillis(500);
    /** The runtime gives up on a poll after its wait plus 15 s. */
    private static final Duration POLL_TIMEOUT = POLL_WAIT.plusSeconds(15);

    @TempDir
    Path cache;

    private FakeControlPlane cp;
    private MeshedScene scene;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        cp = FakeControlPlane.start();
        scene = MeshedScene.start(3);
        cp.answer(FakeControlPlane.snapshot(1, orders("")));
        scene.mesh(WeftRuntime.builder().controlPlane(cp.url(), "token").service("frontend").cacheDir(cache)
                .pollWait(POLL_WAIT).meterRegistry(registry));
        assertThat(scene.runtime().awaitConfig(Duration.ofSeconds(10))).as("first config").isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        scene.close();
        cp.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"500", "503 with HTML", "200 with garbage", "200 with JSON of another shape", "200 empty"})
    void aFailingControlPlaneLeavesTheLastGoodConfigInForce(String fault) throws Exception {
        FakeControlPlane.Answer answer = switch (fault) {
            case "500" -> FakeControlPlane.status(500, "internal error");
            case "503 with HTML" -> FakeControlPlane.status(503, "<html><body>upstream down</body></html>");
            case "200 with garbage" -> FakeControlPlane.status(200, "\u0000\u00ff{{{not json");
            case "200 with JSON of another shape" -> FakeControlPlane.status(200, "{\"version\":\"soon\",\"services\":7}");
            default -> FakeControlPlane.status(200, "");
        };
        faultUnderLoad(fault, answer, Duration.ofSeconds(10));
    }

    @Test
    void aSilentControlPlaneIsReportedWhenThePollTimesOutAndCallsGoOn() throws Exception {
        faultUnderLoad("silent", cp.silence(), POLL_TIMEOUT.plusSeconds(10));
    }

    /**
     * Status and headers at once, then a byte a second: the poll's request timeout ends at the headers, so the
     * poller abandons an answer not finished by its deadline and reports it. Calls go on with the config in force.
     */
    @Test
    void aTricklingControlPlaneIsReportedAndCallsGoOn() throws Exception {
        faultUnderLoad("trickling", cp.trickle(), POLL_TIMEOUT.plusSeconds(10));
    }

    @Test
    void aSnapshotThatDoesNotValidateIsRejectedAndNothingChanges() throws Exception {
        Snapshot before = scene.runtime().engine().snapshot();
        OpenLoopLoad load = new OpenLoopLoad(scene.client(), "http://orders/a", RATE, Duration.ofSeconds(60), true).start();
        long pushed = System.nanoTime();
        cp.answer(FakeControlPlane.snapshot(2, orders(",\"routes\":[{\"name\":\"main\",\"to\":[{\"subset\":\"v9\"}]}]")));
        Await.until(Duration.ofSeconds(10), "the rejection is reported", () -> status().lastError() != null);
        long rejected = System.nanoTime();
        String error = status().lastError();
        Thread.sleep(1000);
        assertThat(scene.runtime().engine().snapshot()).as("the config in force").isSameAs(before);
        assertThat(status().version()).isEqualTo(1);
        cp.answer(FakeControlPlane.snapshot(3, orders(",\"policy\":{\"loadBalancer\":\"round-robin\"}")));
        Await.until(Duration.ofSeconds(10), "the next good snapshot is applied", () -> status().version() == 3);
        load.stop();
        LoadResults results = load.awaitEnd(Duration.ofSeconds(10));

        Report report = new Report("control-plane-faults, invalid snapshot");
        report.line("reported after", Report.millis(rejected - pushed) + ": " + error.replace('\n', ' '));
        report.line("calls", results.sent() + ", asked " + RATE + "/s, " + results.failed().size() + " failed");
        assertThat(error).contains("rejected snapshot version 2").contains("routes[0].to[0].subset").contains("v9");
        assertThat(results.failed()).as("failed calls").isEmpty();
        assertThat(status().lastError()).isNull();
    }

    /**
     * Puts the fault in place under load, waits for the runtime to report it, checks that nothing else changed,
     * then heals the control plane and waits for the runtime to notice.
     */
    private void faultUnderLoad(String fault, FakeControlPlane.Answer answer, Duration reportedWithin) throws Exception {
        Snapshot before = scene.runtime().engine().snapshot();
        OpenLoopLoad load = new OpenLoopLoad(scene.client(), "http://orders/a", RATE, Duration.ofSeconds(90), true).start();
        long faulty = System.nanoTime();
        cp.answer(answer);
        Await.until(reportedWithin, "the error is reported", () -> status().lastError() != null);
        long reported = System.nanoTime();
        ConfigStatus during = status();
        double connected = registry.get("weft.config.connected").gauge().value();
        double failures = registry.get("weft.config.poll.failures").functionCounter().count();
        assertThat(scene.runtime().engine().snapshot()).as("the config in force").isSameAs(before);
        cp.answer(FakeControlPlane.snapshot(1, orders("")));
        Await.until(reportedWithin, "the runtime is back in contact", () -> status().lastError() == null);
        long healed = System.nanoTime();
        load.stop();
        LoadResults results = load.awaitEnd(Duration.ofSeconds(10));

        Report report = new Report("control-plane-faults, " + fault);
        report.line("reported after", Report.millis(reported - faulty) + ": " + during.lastError().replace('\n', ' '));
        report.line("meters while faulty", "weft.config.connected " + connected + ", weft.config.poll.failures " + failures);
        report.line("back in contact after the fix", Report.millis(System.nanoTime() - healed));
        report.line("calls", results.sent() + ", asked " + RATE + "/s, " + results.failed().size() + " failed");

        assertThat(during.version()).as("version in force while faulty").isEqualTo(1);
        assertThat(during.source()).isEqualTo("control-plane");
        assertThat(connected).as("weft.config.connected").isZero();
        assertThat(failures).as("weft.config.poll.failures").isPositive();
        assertThat(scene.runtime().engine().snapshot()).as("the config in force after").isSameAs(before);
        assertThat(results.failed()).as("failed calls").isEmpty();
    }

    private ConfigStatus status() {
        return scene.runtime().configStatus();
    }

    /** The service {@code orders} over the scene's backends, as a snapshot's JSON, with {@code more} fields. */
    private String orders(String more) {
        return "{\"service\":\"orders\",\"endpoints\":" + scene.endpointsJson() + more + "}";
    }
}
