package io.weft.runtime.config;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.lb.LoadBalancers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of config parsing (Jazzer): any bytes, read as a YAML file, a JSON file and a control-plane
 * snapshot, either give a config that the engine compiles, or a {@link ConfigException} whose every error names its
 * source and says what is wrong. Anything else thrown is a finding.
 *
 * <p>In CI ({@code mvn -B verify}) this fuzzes for a bounded time in a JVM of its own (surefire execution
 * {@code config-fuzz} of mesh-runtime), starting from the committed inputs in
 * {@code src/test/resources/io/weft/runtime/config/ConfigLoaderFuzzTestInputs/}. See docs/RELIABILITY.md for the
 * longer local run and for replaying a finding.
 */
class ConfigLoaderFuzzTest {

    private static final ConfigLoader LOADER = new ConfigLoader();
    private static final LoadBalancers BALANCERS = LoadBalancers.discover(ConfigLoaderFuzzTest.class.getClassLoader());
    /** The engine only schedules on calls (breaker timers, ejections); compiling a config does not. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fuzz-timer");
        t.setDaemon(true);
        return t;
    });

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"service:", "endpoints:", "address:", "labels:", "weight:", "subsets:", "routes:", "name:",
            "match:", "path:", "prefix:", "exact:", "regex:", "present:", "methods:", "headers:", "to:", "subset:",
            "timeout:", "retries:", "attempts:", "on:", "perTryTimeout:", "backoff:", "allowNonIdempotent:",
            "fault:", "delay:", "abort:", "percent:", "status:", "duration:", "rateLimit:", "requestsPerSecond:",
            "policy:", "loadBalancer:", "least-request", "ring-hash", "round-robin", "hashHeader:", "circuitBreaker:",
            "outlierDetection:", "retryBudget:", "healthCheck:", "connectionPool:", "maxRequests:", "tls:", "mode:",
            "STRICT", "PERMISSIVE", "authorization:", "allow:", "deny:", "from:", "paths:", "\"version\":",
            "\"services\":", "\"trustBundle\":", "127.0.0.1:8080", "30s", "250ms", "---", "&a", "*a", "!!str"})
    void anyInputGivesAConfigOrErrorsThatSayWhatIsWrong(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        check("fuzz.yaml", () -> LOADER.parse("fuzz.yaml", text));
        check("fuzz.json", () -> LOADER.parse("fuzz.json", text));
        check("snapshot", () -> new MeshConfig(LOADER.parseSnapshot("snapshot", text).services()));
    }

    /** Parses; an accepted config must compile in the engine, a rejected one must explain itself. */
    private static void check(String source, Supplier<MeshConfig> parse) {
        MeshConfig config;
        try {
            config = parse.get();
        } catch (ConfigException e) {
            List<ConfigError> errors = e.errors();
            if (errors.isEmpty()) {
                throw new AssertionError(source + ": rejected without an error: " + e.getMessage());
            }
            for (ConfigError error : errors) {
                if (!source.equals(error.source()) || error.message() == null || error.message().isBlank()
                        || error.message().equals("null")) {
                    throw new AssertionError(source + ": an error that does not say where or what: " + error, e);
                }
            }
            return;
        }
        try (MeshEngine engine = new MeshEngine(BALANCERS, TIMER, List.of(), List.of())) {
            engine.apply(config);
        }
    }
}
