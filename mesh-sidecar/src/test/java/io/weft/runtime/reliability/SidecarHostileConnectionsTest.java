package io.weft.runtime.reliability;

import io.weft.runtime.support.Backends;
import io.weft.sidecar.ProxyLimits;
import io.weft.sidecar.Sidecar;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of abusive connections at once against the sidecar's outbound listener (malformed, oversized,
 * slowloris, a stalled HTTP/2 preface, h2c kept busy with PINGs) while a good client keeps calling through it: each
 * abuser gets its 4xx/408 or is closed in bounded time, the good client gets only 200s, and once the abusers are gone
 * the heap (after GC) and the open file descriptors are back where they were.
 *
 * <p>A sidecar test in the runtime's reliability package, to report with and run by the same switch
 * ({@code -Dweft.reliability.long=true}) as the other scenarios.
 */
class SidecarHostileConnectionsTest {

    private static final int PER_KIND = ReliabilityMode.LONG ? 1200 : 350;
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration TICK = Duration.ofMillis(200);
    /** What a busy two-core machine may add to a timer before a connection is closed. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final long HEAP_GROWTH_LIMIT = 32L * 1024 * 1024;
    private static final long FD_GROWTH_LIMIT = 16;

    @TempDir
    Path dir;

    @Test
    void abusersAreAnsweredAndClosedWhileAGoodClientIsServedAndNothingLeaks() throws Exception {
        try (Backends backends = Backends.start(1);
             Sidecar sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: "
                     + backends.get(0).address() + " } ]\n", b -> b.limits(ProxyLimits.defaults()
                     .withMaxHeaderSize(SidecarHostileKind.MAX_HEADER_SIZE).withMaxRequestLine(SidecarHostileKind.MAX_REQUEST_LINE)
                     .withHeaderTimeout(HEADER_TIMEOUT).withIdleTimeout(IDLE_TIMEOUT)))) {
            OkHttpClient good = new OkHttpClient.Builder().proxy(TestSidecar.proxy(sidecar)).build();
            for (int i = 0; i < 200; i++) { // JIT, pools and connections in place before the baseline
                call(good);
            }
            long heapBefore = SidecarProcessGauges.usedHeapAfterGc();
            long fdsBefore = SidecarProcessGauges.openFileDescriptors();

            SidecarSteadyClient.Tally served;
            List<SidecarHostileClients.Outcome> outcomes;
            long fdsPeak;
            long stillOpen;
            long opening;
            SidecarSteadyClient steady = new SidecarSteadyClient(good, "http://orders/good", Duration.ofMillis(20));
            try (SidecarHostileClients hostile = new SidecarHostileClients(TICK)) {
                long start = System.nanoTime();
                hostile.open(TestSidecar.outboundPort(sidecar), PER_KIND);
                opening = System.nanoTime() - start;
                fdsPeak = SidecarProcessGauges.openFileDescriptors();
                outcomes = hostile.awaitClosed(IDLE_TIMEOUT.plus(SLACK).multipliedBy(3));
                stillOpen = hostile.open();
            } finally {
                served = steady.stop();
            }
            long heapAfter = SidecarProcessGauges.usedHeapAfterGc();
            long fdsAfter = SidecarProcessGauges.openFileDescriptors();

            Map<SidecarHostileKind, List<SidecarHostileClients.Outcome>> byKind = outcomes.stream()
                    .collect(Collectors.groupingBy(SidecarHostileClients.Outcome::kind, () -> new EnumMap<>(SidecarHostileKind.class),
                            Collectors.toList()));
            Report report = new Report("sidecar hostile connections");
            report.line("connections", PER_KIND + " of each of " + SidecarHostileKind.values().length + " kinds at once ("
                    + PER_KIND * SidecarHostileKind.values().length + "), opened in " + Report.millis(opening)
                    + "; header timeout " + HEADER_TIMEOUT.toMillis() + " ms, idle timeout " + IDLE_TIMEOUT.toMillis() + " ms");
            byKind.forEach((kind, list) -> report.line(kind.name(), "statuses " + statuses(list) + ", closed within "
                    + Report.millis(list.stream().mapToLong(SidecarHostileClients.Outcome::closedAfterNanos).max().orElse(0))));
            report.line("not closed by the sidecar", stillOpen);
            report.line("good client", served.ok() + " of " + served.calls() + " calls 200 " + served.byStatus()
                    + ", slowest " + Report.millis(served.maxLatencyNanos()));
            report.line("heap after GC", SidecarProcessGauges.mib(heapBefore) + " before, " + SidecarProcessGauges.mib(heapAfter) + " after");
            report.line("open file descriptors", fdsBefore + " before, " + fdsPeak + " with the abusers connected, " + fdsAfter + " after");

            assertThat(stillOpen).as("connections the sidecar never closed").isZero();
            for (SidecarHostileKind kind : SidecarHostileKind.values()) {
                List<SidecarHostileClients.Outcome> list = byKind.getOrDefault(kind, List.of());
                assertThat(list).as(kind + " connections").hasSize(PER_KIND);
                assertThat(list).as(kind + ": status before the close").allMatch(o -> kind.accepts(o.status()));
                assertThat(list).as(kind + ": closed in time").allMatch(o -> o.closedAfterNanos() <= bound(kind, opening));
            }
            assertThat(served.calls()).as("good calls").isPositive();
            assertThat(served.ok()).as("good calls answered 200: %s", served.byStatus()).isEqualTo(served.calls());
            assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(HEAP_GROWTH_LIMIT);
            assertThat(fdsAfter - fdsBefore).as("file descriptors left open").isLessThanOrEqualTo(FD_GROWTH_LIMIT);
        }
    }

    /** How long after its connect began a connection of {@code kind} must be closed. */
    private static long bound(SidecarHostileKind kind, long openingNanos) {
        Duration own = switch (kind) {
            case SLOW_HEADERS, SLOW_PREFACE -> HEADER_TIMEOUT.plus(TICK); // from the first byte, one tick in
            case H2_PINGS_ONLY -> IDLE_TIMEOUT;
            default -> Duration.ZERO;
        };
        return openingNanos + own.plus(SLACK).toNanos();
    }

    private static String statuses(List<SidecarHostileClients.Outcome> list) {
        return list.stream().collect(Collectors.groupingBy(SidecarHostileClients.Outcome::status, java.util.TreeMap::new,
                Collectors.counting())).toString();
    }

    private static void call(OkHttpClient client) throws Exception {
        try (Response r = client.newCall(new Request.Builder().url("http://orders/warm").build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
    }
}
