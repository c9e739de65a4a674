package io.weft.agent.installer;

import io.weft.runtime.WeftRuntime;
import io.weft.runtime.telemetry.AccessLog;
import io.weft.runtime.telemetry.OtlpTracing;
import io.weft.runtime.telemetry.TracingSettings;

/**
 * Puts the agent's telemetry settings on the runtime: the admin port (with a Prometheus registry of the runtime's
 * own: the app's registry, if any, is beyond the agent's reach), the access log and OTLP tracing.
 */
final class AgentTelemetry {

    /** Where the OpenTelemetry Java agent's entry point lives; it is on the system class path when that agent runs. */
    private static final String OTEL_AGENT_CLASS = "io/opentelemetry/javaagent/OpenTelemetryAgent.class";

    private AgentTelemetry() {
    }

    /** Configures the builder; returns the tracing to flush on shutdown, or null. */
    static OtlpTracing configure(WeftRuntime.Builder b, AgentSettings settings) {
        AgentSettings.Telemetry t = settings.telemetry();
        if (t.adminPort() >= 0) {
            b.adminPort(t.adminPort());
        }
        if (t.accessLog()) {
            b.listener(new AccessLog());
        }
        if (t.otlpEndpoint() == null) {
            return null;
        }
        if (otelAgentPresent()) {
            // Its OkHttp/JDK-client instrumentation already makes a client span and sends the context; a second
            // set of spans and headers from Weft would split every trace in two.
            AgentLog.info("the OpenTelemetry Java agent traces this app's calls; Weft adds no spans of its own "
                    + "(setting 'otlpEndpoint' is not used)");
            return null;
        }
        TracingSettings tracing = TracingSettings.of(t.otlpEndpoint().toString())
                .withSamplingRatio(t.traceSampling());
        if (settings.service() != null) {
            tracing = tracing.withServiceName(settings.service());
        }
        OtlpTracing otlp = OtlpTracing.create(tracing);
        b.tracer(otlp.tracer());
        return otlp;
    }

    static boolean otelAgentPresent() {
        return ClassLoader.getSystemClassLoader().getResource(OTEL_AGENT_CLASS) != null;
    }
}
