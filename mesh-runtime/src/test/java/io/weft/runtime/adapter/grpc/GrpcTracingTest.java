package io.weft.runtime.adapter.grpc;

import io.grpc.Metadata;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.telemetry.OpenTelemetryTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each attempt of a gRPC call is a span whose W3C context arrives at the server as metadata. */
class GrpcTracingTest extends GrpcMeshTestBase {

    private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    /** The SDK's own test fixture: in-memory spans, W3C propagation, reset between tests. */
    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.tracer(new OpenTelemetryTracer(otel.getOpenTelemetry()));
    }

    @Test
    void traceparentReachesTheServerForEveryAttempt() {
        backends.get(0).failWith = io.grpc.Status.UNAVAILABLE;
        mesh("service: echo\nendpoints:\n  - { address: 127.0.0.1:" + backends.get(0).port() + " }\n  - { address: 127.0.0.1:"
                + backends.get(1).port() + " }\n"
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
                + "routes: [ { name: api, retries: { attempts: 1, on: [ unavailable ] } } ]\n");
        for (int i = 0; i < 4; i++) {
            assertThat(say("t")).isEqualTo("b1:t");
        }
        List<SpanData> spans = otel.getSpans();
        assertThat(spans).hasSize(backends.total());
        List<String> sent = new java.util.ArrayList<>();
        backends.get(0).headers().forEach(h -> sent.add(h.get(TRACEPARENT)));
        backends.get(1).headers().forEach(h -> sent.add(h.get(TRACEPARENT)));
        assertThat(sent).doesNotContainNull().hasSize(spans.size());
        assertThat(sent).allSatisfy(tp -> assertThat(spans).anySatisfy(s -> assertThat(tp).contains(s.getSpanId())));
    }
}
