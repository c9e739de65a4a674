package io.weft.runtime.reliability;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.weft.runtime.reliability.ReliabilityMode.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint death under load, library mode: three backends, 1k requests a second open-loop (every other one a POST),
 * one backend killed mid-run (its port then refuses) and restarted later on the same port. Every request is counted,
 * and the backends' receipts prove that the mesh never sent a POST again after it may have run. Quick runs shorten the base ejection time so that the
 * restart shows within the run; long runs keep outlier detection's defaults.
 */
class EndpointDeathTest {

    private static final String URL = "http://orders/work";
    private static final int RATE = 1000;
    /**
     * Each backend takes this long per request, so that several requests, POSTs among them, are inside the victim
     * when it dies: the requests a careless retry would run twice.
     */
    private static final Duration SERVICE_TIME = Duration.ofMillis(20);
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final Duration RUN = pick(Duration.ofSeconds(6), Duration.ofSeconds(60));
    private static final Duration KILL_AT = pick(Duration.ofMillis(1500), Duration.ofSeconds(15));
    private static final Duration RESTART_AT = pick(Duration.ofSeconds(3), Duration.ofSeconds(30));
    private static final String EJECTION = ReliabilityMode.LONG ? "" : "policy: { outlierDetection: { baseEjectionTime: 1s } }\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "default retries (connect-failure) | ''",
            "retries on connect-failure and reset | 'routes: [ { name: main, retries: { on: [ connect-failure, reset ] } } ]'"})
    void aKilledBackendCostsOnlyTheRequestsInsideItAndNoPostRunsTwice(String name, String routes) throws Exception {
        try (MeshedScene scene = MeshedScene.start(3).mesh(EJECTION + routes + "\n")) {
            for (int i = 0; i < 3; i++) {
                scene.backend(i).delay(SERVICE_TIME);
            }
            ControlledBackend victim = scene.backend(1);
            OpenLoopLoad.warmUp(scene.client(), URL, RATE, WARM_UP);
            OpenLoopLoad load = new OpenLoopLoad(scene.client(), URL, RATE, RUN, true).start();
            load.sleepUntil(KILL_AT);
            long killed = System.nanoTime();
            victim.kill();
            load.sleepUntil(RESTART_AT);
            victim.restart();
            long restarted = System.nanoTime();
            LoadResults results = load.awaitEnd(Duration.ofSeconds(15));

            DeathCost cost = new DeathCost(scene, victim, results, killed);
            Report report = new Report("endpoint-death, " + name);
            report.line("config", (EJECTION + routes).isBlank() ? "defaults" : (EJECTION + routes).strip().replace('\n', ' '));
            report.line("requests", results.sent() + ", asked " + RATE + "/s over " + RUN.toSeconds() + " s (after "
                    + WARM_UP.toSeconds() + " s warm-up), half POSTs, service time " + SERVICE_TIME.toMillis()
                    + " ms, kill at " + KILL_AT.toMillis() + " ms, restart at " + RESTART_AT.toMillis() + " ms");
            cost.report(report);
            new DeathTimeline(scene, victim, killed, restarted).report(report);
            report.line("latency", Report.latency(results.latencies(Duration.ZERO, RUN)));

            assertThat(cost.postsRunTwiceByTheMesh()).as("POSTs the mesh sent again after they may have run").isEmpty();
            assertThat(results.unanswered()).as("requests without any answer").isZero();
            assertThat(cost.failed()).as("failed requests, all caught by the death; failures: %s", results.failureKinds())
                    .isEqualTo(cost.caughtByTheDeath());
            assertThat(results.successPercent()).as("success rate").isGreaterThanOrEqualTo(99.5);
        }
    }
}
