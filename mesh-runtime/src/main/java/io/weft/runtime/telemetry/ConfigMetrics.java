package io.weft.runtime.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.control.ConfigStatus;

import java.time.Duration;

/**
 * The freshness of the config in force, as meters: {@code weft.config.version}, {@code weft.config.age}
 * (seconds since it was applied), {@code weft.config.connected} (1 when the last poll reached the control plane)
 * and {@code weft.config.poll.failures}. Bind it to the app's registry:
 * {@code new ConfigMetrics(runtime).bindTo(registry)}.
 */
public final class ConfigMetrics implements MeterBinder {

    private final WeftRuntime runtime;

    public ConfigMetrics(WeftRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("weft.config.version", runtime, r -> r.configStatus().version())
                .description("Version of the mesh config snapshot in force (0: none)")
                .register(registry);
        Gauge.builder("weft.config.age", runtime, ConfigMetrics::ageSeconds)
                .description("Seconds since the config in force was applied (NaN: none)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("weft.config.connected", runtime, r -> r.configStatus().connected() ? 1 : 0)
                .description("1 when the last poll reached the control plane")
                .register(registry);
        FunctionCounter.builder("weft.config.poll.failures", runtime, WeftRuntime::configFailures)
                .description("Control-plane polls or snapshots that failed")
                .register(registry);
    }

    private static double ageSeconds(WeftRuntime r) {
        ConfigStatus s = r.configStatus();
        Duration age = s.age();
        return age == null ? Double.NaN : age.toMillis() / 1000.0;
    }
}
