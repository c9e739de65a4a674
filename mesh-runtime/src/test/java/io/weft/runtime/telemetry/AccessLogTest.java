package io.weft.runtime.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.support.Mesh;
import io.weft.runtime.support.MeshTestBase;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Access log lines are JSON and say what happened to each call. */
class AccessLogTest extends MeshTestBase {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.listener(new AccessLog(lines::add)).tracer(new OpenTelemetryTracer(otel.getOpenTelemetry()));
    }

    @Test
    void oneJsonLinePerCall() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends, "v1", "v1", "v2")
                + "subsets: { v1: { version: v1 } }\n"
                + "routes:\n"
                + "  - { name: limited, match: { path: { prefix: /limited } }, rateLimit: { requestsPerSecond: 1 } }\n"
                + "  - { name: api, to: [ { subset: v1 } ] }\n");
        get("http://orders/api/items?secret=1");
        get("http://orders/limited");
        get("http://orders/limited");

        assertThat(lines).hasSize(3);
        JsonNode ok = json.readTree(lines.get(0));
        assertThat(ok.get("service").asText()).isEqualTo("orders");
        assertThat(ok.get("route").asText()).isEqualTo("api");
        assertThat(ok.get("subset").asText()).isEqualTo("v1");
        assertThat(ok.get("method").asText()).isEqualTo("GET");
        assertThat(ok.get("path").asText()).as("no query string").isEqualTo("/api/items");
        assertThat(ok.get("endpoint").asText()).startsWith("127.0.0.1:");
        assertThat(ok.get("status").asInt()).isEqualTo(200);
        assertThat(ok.get("outcome").asText()).isEqualTo("success");
        assertThat(ok.get("attempts").asInt()).isEqualTo(1);
        assertThat(ok.get("duration_ms").asDouble()).isPositive();
        assertThat(ok.has("reason")).isFalse();
        String traceparent = null;
        for (var b : backends.all()) {
            for (okhttp3.mockwebserver.RecordedRequest r; (r = b.server().takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null; ) {
                if (r.getPath().startsWith("/api/items")) {
                    traceparent = r.getHeader("traceparent");
                }
            }
        }
        assertThat(traceparent).as("the /api/items request reached a backend with a traceparent").isNotNull();
        assertThat(ok.get("trace_id").asText()).as("the trace the endpoint saw (%s)", traceparent)
                .hasSize(32).isEqualTo(traceparent.split("-")[1]);

        JsonNode limited = json.readTree(lines.get(2));
        assertThat(limited.get("status").asInt()).isEqualTo(429);
        assertThat(limited.get("reason").asText()).isEqualTo("rate-limited");
        assertThat(limited.get("endpoint").isNull()).isTrue();
        assertThat(limited.get("attempts").asInt()).isZero();
        assertThat(limited.has("trace_id")).as("no attempt, no trace").isFalse();
    }
}
