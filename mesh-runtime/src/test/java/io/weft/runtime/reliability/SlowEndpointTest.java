package io.weft.runtime.reliability;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Locale;

import static io.weft.runtime.reliability.ReliabilityMode.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow endpoint under load, library mode: three backends, 1k GETs a second open-loop; halfway through, one backend
 * starts taking seconds per request. Least request (P2C, the default balancer) steers most calls away from its
 * growing queue; a per-try timeout with a retry bounds the rest. p50/p99 before and during, with HdrHistogram.
 */
class SlowEndpointTest {

    private static final String URL = "http://orders/items";
    private static final int RATE = 1000;
    private static final Duration SERVICE_TIME = Duration.ofMillis(2);
    private static final Duration SLOW_TIME = Duration.ofSeconds(3);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration PHASE = pick(Duration.ofMillis(2500), Duration.ofSeconds(30));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "least request alone | '' | 1000",
            "least request, per-try timeout 200 ms, retry on timeout | 'routes: [ { name: main, timeout: 1s, retries: "
                    + "{ attempts: 2, on: [ connect-failure, timeout ], perTryTimeout: 200ms } } ]' | 1000"})
    void leastRequestAndTimeoutsKeepTheTailBounded(String name, String routes, long maxP99Millis) throws Exception {
        try (MeshedScene scene = MeshedScene.start(3).mesh(routes + "\n")) {
            for (int i = 0; i < 3; i++) {
                scene.backend(i).delay(SERVICE_TIME);
            }
            OpenLoopLoad.warmUp(scene.client(), URL, RATE, WARM_UP);
            OpenLoopLoad load = new OpenLoopLoad(scene.client(), URL, RATE, PHASE.multipliedBy(2), false).start();
            load.sleepUntil(PHASE);
            scene.backend(1).delay(SLOW_TIME);
            long slowSince = System.nanoTime();
            LoadResults results = load.awaitEnd(SLOW_TIME.plusSeconds(10));

            Histogram before = results.latencies(Duration.ZERO, PHASE);
            Histogram during = results.latencies(PHASE, PHASE.multipliedBy(2));
            Report report = new Report("slow-endpoint, " + name);
            report.line("config", routes.isBlank() ? "defaults" : routes);
            report.line("requests", "GETs, " + results.sent() + ", asked " + RATE + "/s, " + PHASE.toMillis() + " ms before, "
                    + PHASE.toMillis() + " ms during; service time " + SERVICE_TIME.toMillis() + " ms, slow endpoint "
                    + SLOW_TIME.toMillis() + " ms");
            report.line("latency before", Report.latency(before));
            report.line("latency during", Report.latency(during));
            report.line("answered by the slow endpoint during", results.answeredBy("b1", PHASE, PHASE.multipliedBy(2)));
            report.line("succeeded", results.succeeded() + " (" + String.format(Locale.ROOT, "%.3f %%",
                    results.successPercent()) + "), failures " + results.failureKinds());
            scene.ejections().forEach(e -> report.line("ejection event", (e.returned() ? "returned" : "ejected for "
                    + e.forMillis() + " ms") + " at slow + " + Report.millis(e.nanos() - slowSince)));

            assertThat(results.failed()).as("failed requests").isEmpty();
            assertThat(during.getValueAtPercentile(99)).as("p99 during, ns").isLessThan(maxP99Millis * 1_000_000);
        }
    }
}
