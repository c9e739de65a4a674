package io.weft.runtime.reliability;

import io.grpc.ManagedChannel;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.adapter.grpc.MeshGrpc;
import io.weft.runtime.support.Mesh;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.weft.runtime.reliability.ReliabilityMode.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint death under load for gRPC in library mode: a grpc-java channel from {@code MeshGrpc.channel(engine,
 * "orders")} makes 1k unary calls a second open-loop to three real grpc-java servers; one is stopped mid-run (its
 * port then refuses) and started again later on the same port. Every call is counted, the servers' receipts prove
 * that no call ran twice (gRPC calls are POSTs), and the engine's attempts show when the dead endpoint stopped
 * getting calls. Quick runs shorten the base ejection time so that the restart shows within the run.
 */
class GrpcEndpointDeathTest {

    private static final int RATE = 1000;
    /** Several calls are inside the victim when it dies: those a careless retry would run twice. */
    private static final Duration SERVICE_TIME = Duration.ofMillis(20);
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration RUN = pick(Duration.ofSeconds(10), Duration.ofSeconds(60));
    private static final Duration KILL_AT = pick(Duration.ofSeconds(3), Duration.ofSeconds(15));
    private static final Duration RESTART_AT = pick(Duration.ofSeconds(6), Duration.ofSeconds(35));
    private static final String EJECTION = ReliabilityMode.LONG ? "" : "policy: { outlierDetection: { baseEjectionTime: 1s } }\n";
    private static final double TARGET_PERCENT = 99.99;

    /** CI runs the defaults; the long run also retries resets. */
    static Stream<Arguments> retries() {
        Stream<Arguments> defaults = Stream.of(Arguments.of("default retries (connect-failure)", ""));
        return ReliabilityMode.LONG ? Stream.concat(defaults, Stream.of(Arguments.of("retries on connect-failure and reset",
                "routes: [ { name: main, retries: { on: [ connect-failure, reset ] } } ]\n"))) : defaults;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retries")
    void aKilledServerCostsOnlyTheCallsInsideItAndNoCallRunsTwice(String name, String routes) throws Exception {
        List<GrpcControlledServer> servers = new ArrayList<>();
        StringBuilder yaml = new StringBuilder("service: orders\nendpoints:\n");
        WeftRuntime runtime = null;
        ManagedChannel channel = null;
        try {
            for (int i = 0; i < 3; i++) {
                servers.add(GrpcControlledServer.start("b" + i, SERVICE_TIME));
                yaml.append("  - { address: ").append(servers.get(i).address()).append(" }\n");
            }
            runtime = WeftRuntime.builder().config(Mesh.yaml(yaml + EJECTION + routes)).build();
            EngineActivity activity = EngineActivity.watch(runtime.engine());
            channel = MeshGrpc.channel(runtime.engine(), "orders");
            GrpcControlledServer victim = servers.get(1);
            // A ramp: a cold JVM on a loaded machine that meets the full rate at once falls behind and stays there.
            GrpcOpenLoopLoad.warmUp(channel, RATE / 4, WARM_UP);
            GrpcOpenLoopLoad.warmUp(channel, RATE, WARM_UP);
            GrpcOpenLoopLoad load = new GrpcOpenLoopLoad(channel, RATE, RUN).start();
            load.sleepUntil(KILL_AT);
            long killed = System.nanoTime();
            victim.kill();
            load.sleepUntil(RESTART_AT);
            victim.restart();
            long restarted = System.nanoTime();
            LoadResults results = load.awaitEnd(Duration.ofSeconds(15));

            Map<String, Long> runs = servers.stream().flatMap(s -> s.receipts().stream()).filter(r -> r.id() != null)
                    .collect(Collectors.groupingBy(ControlledBackend.Receipt::id, Collectors.counting()));
            Set<String> twice = runs.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            Report report = new Report("grpc endpoint-death, " + name);
            report.line("calls", results.sent() + " on a MeshGrpc channel, after " + WARM_UP.toSeconds() + " s at "
                    + RATE / 4 + "/s and " + WARM_UP.toSeconds() + " s at " + RATE + "/s to warm up; service time "
                    + SERVICE_TIME.toMillis() + " ms, kill at " + KILL_AT.toSeconds() + " s, restart at "
                    + RESTART_AT.toSeconds() + " s; " + (EJECTION + routes).strip().replace('\n', ' '));
            report.line("succeeded", String.format(Locale.ROOT, "%d of %d (%.3f %%; target %.2f %%: %s)", results.succeeded(),
                    results.total(), results.successPercent(), TARGET_PERCENT,
                    results.successPercent() >= TARGET_PERCENT ? "met" : "not met"));
            report.line("failures", results.failureKinds());
            report.line("failed calls the victim had received", results.failed().stream()
                    .filter(r -> victim.receipts().stream().anyMatch(v -> r.id().equals(v.id()))).count());
            report.line("calls executed twice", twice.size());
            new RecoveryTimes(activity, victim.port(), victim.receipts().stream().map(ControlledBackend.Receipt::nanos).toList(),
                    killed, restarted).report(report);
            report.line("latency", Report.latency(results.latencies(Duration.ZERO, RUN)));

            assertThat(twice).as("calls executed more than once").isEmpty();
            assertThat(results.unanswered()).as("calls without any answer").isZero();
            // The target is reported; how many calls are inside the victim at its death depends on the machine's load.
            assertThat(results.successPercent()).as("success rate").isGreaterThanOrEqualTo(99.0);
        } finally {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            if (runtime != null) {
                runtime.close();
            }
            for (GrpcControlledServer s : servers) {
                s.close();
            }
        }
    }
}
