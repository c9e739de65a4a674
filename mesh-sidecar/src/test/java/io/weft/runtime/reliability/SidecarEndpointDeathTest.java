package io.weft.runtime.reliability;

import io.weft.sidecar.Sidecar;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static io.weft.runtime.reliability.ReliabilityMode.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint death under load through the sidecar: an app's plain HTTP client sends 1k requests a second open-loop
 * (every other one a POST) to {@code orders} through the outbound listener; one of the three backends is killed
 * mid-run (its port then refuses) and restarted later on the same port. Every request is counted, the backends'
 * receipts prove that no POST ran twice, and the engine's attempts show when the dead endpoint stopped getting
 * traffic. Quick runs shorten the base ejection time so that the restart shows within the run.
 *
 * <p>In the runtime's reliability package (a sidecar test nonetheless) to share its load, backends and report.
 */
class SidecarEndpointDeathTest {

    private static final String URL = "http://orders/work";
    private static final int RATE = 1000;
    /** Several requests, POSTs among them, are inside the victim when it dies: those a careless retry would repeat. */
    private static final Duration SERVICE_TIME = Duration.ofMillis(20);
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration RUN = pick(Duration.ofSeconds(10), Duration.ofSeconds(60));
    private static final Duration KILL_AT = pick(Duration.ofSeconds(3), Duration.ofSeconds(15));
    private static final Duration RESTART_AT = pick(Duration.ofSeconds(6), Duration.ofSeconds(35));
    private static final String EJECTION = ReliabilityMode.LONG ? "" : "policy: { outlierDetection: { baseEjectionTime: 1s } }\n";
    private static final double TARGET_PERCENT = 99.99;

    @TempDir
    Path dir;

    /** CI runs the defaults; the long run also retries resets (GETs only: a streamed POST body cannot be resent). */
    static Stream<Arguments> retries() {
        Stream<Arguments> defaults = Stream.of(Arguments.of("default retries (connect-failure)", ""));
        return ReliabilityMode.LONG ? Stream.concat(defaults, Stream.of(Arguments.of("retries on connect-failure and reset",
                "routes: [ { name: main, retries: { on: [ connect-failure, reset ] } } ]\n"))) : defaults;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retries")
    void aKilledBackendCostsOnlyTheRequestsInsideItAndNoPostRunsTwice(String name, String routes) throws Exception {
        List<ControlledBackend> backends = new ArrayList<>();
        StringBuilder yaml = new StringBuilder("service: orders\nendpoints:\n");
        for (int i = 0; i < 3; i++) {
            ControlledBackend b = ControlledBackend.start("b" + i);
            b.delay(SERVICE_TIME);
            backends.add(b);
            yaml.append("  - { address: ").append(b.address()).append(" }\n");
        }
        yaml.append(EJECTION).append(routes);
        try (Sidecar sidecar = TestSidecar.start(dir, yaml.toString())) {
            EngineActivity activity = EngineActivity.watch(sidecar.runtime().engine());
            OkHttpClient client = client(sidecar);
            ControlledBackend victim = backends.get(1);
            // A ramp: a cold JVM on a loaded machine that meets the full rate at once falls behind and stays there.
            OpenLoopLoad.warmUp(client, URL, RATE / 4, WARM_UP);
            OpenLoopLoad.warmUp(client, URL, RATE, WARM_UP);
            OpenLoopLoad load = new OpenLoopLoad(client, URL, RATE, RUN, true).start();
            load.sleepUntil(KILL_AT);
            long killed = System.nanoTime();
            victim.kill();
            load.sleepUntil(RESTART_AT);
            victim.restart();
            long restarted = System.nanoTime();
            LoadResults results = load.awaitEnd(Duration.ofSeconds(15));
            client.dispatcher().executorService().shutdownNow();

            Executions executions = new Executions(backends);
            Map<String, Integer> postsTwice = executions.executedMoreThanOnce("POST");
            Report report = new Report("sidecar endpoint-death, " + name);
            report.line("requests", results.sent() + " through the sidecar's outbound listener, after " + WARM_UP.toSeconds()
                    + " s at " + RATE / 4 + "/s and " + WARM_UP.toSeconds() + " s at " + RATE + "/s to warm up; service time " + SERVICE_TIME.toMillis() + " ms, kill at " + KILL_AT.toSeconds()
                    + " s, restart at " + RESTART_AT.toSeconds() + " s; " + (EJECTION + routes).strip().replace('\n', ' '));
            report.line("succeeded", String.format(Locale.ROOT, "%d of %d (%.3f %%; target %.2f %%: %s)", results.succeeded(),
                    results.total(), results.successPercent(), TARGET_PERCENT,
                    results.successPercent() >= TARGET_PERCENT ? "met" : "not met"));
            report.line("failures", results.failureKinds());
            report.line("failed requests the victim executed",
                    executions.executed(results.failed().stream().map(LoadResults.Result::id).toList()).size());
            report.line("POSTs executed twice", postsTwice.size());
            report.line("GETs executed twice", executions.executedMoreThanOnce("GET").size());
            new RecoveryTimes(activity, victim.port(), victim.receipts().stream().map(ControlledBackend.Receipt::nanos).toList(),
                    killed, restarted).report(report);
            report.line("latency", Report.latency(results.latencies(Duration.ZERO, RUN)));

            assertThat(postsTwice).as("POSTs executed more than once").isEmpty();
            assertThat(results.unanswered()).as("requests without any answer").isZero();
            // What the death may cost: requests whose attempt was on the victim. How many depends on how many were
            // inside it, so on the machine's load (a two-core machine that falls behind the rate queues hundreds of
            // requests on every backend's connections); the figure against the target is in the report, and the
            // floor here only catches a death that costs more than what was inside the victim.
            assertThat(results.failed()).as("failed requests, all on the victim's connections")
                    .allMatch(r -> r.body() != null && r.body().contains("127.0.0.1:" + victim.port()));
            assertThat(results.successPercent()).as("success rate").isGreaterThanOrEqualTo(95.0);
        } finally {
            backends.forEach(ControlledBackend::close);
        }
    }

    /** An app's client with the sidecar as its HTTP proxy, allowed the ~1k calls a second in flight of the load. */
    private static OkHttpClient client(Sidecar sidecar) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(2048);
        dispatcher.setMaxRequestsPerHost(2048);
        return new OkHttpClient.Builder().proxy(TestSidecar.proxy(sidecar)).dispatcher(dispatcher).build();
    }
}
