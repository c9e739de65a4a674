package io.weft.perf.load;

import io.weft.perf.backend.FastBackend;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness in seconds, so it never rots: every in-process scenario against the real backend at a low fixed
 * rate and briefly at full speed, and the report renders them. The figures are not looked at, only that the
 * load ran and was measured.
 */
class LoadHarnessSmokeTest {

    private static final Duration WINDOW = Duration.ofMillis(400);
    private static FastBackend backend;
    private static WeftRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        backend = FastBackend.start(0, 1);
        runtime = WeftRuntime.builder()
                .config(new ConfigLoader().parse("perf.yaml", LoadMain.meshYaml("127.0.0.1:" + backend.port())))
                .build();
    }

    @AfterAll
    static void stop() {
        runtime.close();
        backend.close();
    }

    @Test
    void everyScenarioRunsAtAFixedRateAndFlatOut() throws Exception {
        String direct = "http://127.0.0.1:" + backend.port() + "/hello";
        Map<String, AsyncCall> scenarios = Map.of(
                "okhttp-raw", Clients.okHttp(Clients.okHttp(), direct),
                "okhttp-mesh", Clients.okHttpMeshed(runtime, "http://backend/hello"),
                "meshclient", Clients.meshClient(runtime, "http://backend/hello"),
                "jdk-raw", Clients.jdk(Clients.jdk(), direct),
                "jdk-mesh", Clients.jdkMeshed(runtime, "http://backend/hello"));
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, AsyncCall> s : scenarios.entrySet()) {
            LoadResult fixed = new FixedRateLoad(s.getValue(), 200, 1000).run(s.getKey(), Duration.ofMillis(100), WINDOW);
            assertThat(fixed.errors()).as("%s errors", s.getKey()).isZero();
            assertThat(fixed.completed()).as("%s: 200/s for %s", s.getKey(), WINDOW).isEqualTo(80);
            assertThat(fixed.latency().getTotalCount()).isEqualTo(fixed.completed());
            assertThat(fixed.cpuMicrosPerRequest()).isPositive();
            LoadResult flat = new ClosedLoopLoad(s.getValue(), 8).run(s.getKey(), Duration.ofMillis(100), WINDOW);
            assertThat(flat.errors()).isZero();
            assertThat(flat.completed()).isGreaterThan(fixed.completed());
            lines.add(json(fixed));
            lines.add(json(flat));
        }
        String report = LoadReport.render(lines, "okhttp-raw", Map.of("jdk-mesh", "jdk-raw"));
        assertThat(report).contains("**Fixed rate 200 req/s**").contains("**Maximum throughput**")
                .contains("| okhttp-raw |").contains("| jdk-mesh |").contains("(baseline)");
    }

    @Test
    void aBackendThatIsDownCountsAsErrorsNotAsLatency() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        AsyncCall refused = Clients.jdk(Clients.jdk(), "http://127.0.0.1:" + closed + "/hello");
        LoadResult r = new FixedRateLoad(refused, 100, 1000).run("down", Duration.ZERO, Duration.ofMillis(200));
        assertThat(r.completed()).isZero();
        assertThat(r.errors()).isEqualTo(20);
    }

    private static String json(LoadResult r) {
        return String.format(java.util.Locale.ROOT, "{\"scenario\":\"%s\",\"rate\":%d,\"completed\":%d,\"errors\":%d,"
                        + "\"throughput\":%f,\"p50_us\":%f,\"p99_us\":%f,\"p999_us\":%f,\"cpu_us_per_req\":%f}",
                r.scenario(), r.rate(), r.completed(), r.errors(), r.throughput(), r.percentile(50), r.percentile(99),
                r.percentile(99.9), r.cpuMicrosPerRequest());
    }
}
