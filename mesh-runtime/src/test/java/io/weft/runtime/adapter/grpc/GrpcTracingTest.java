package io.weft.runtime.adapter.grpc;

import io.grpc.Metadata;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.telemetry.OpenTelemetryTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each attempt of a gRPC call is a span whose W3C context arrives at the server as metadata. */
class GrpcTracingTest extends GrpcMeshTestBase {

    private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();

    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.tracer(new OpenTelemetryTracer(otel));
    }

    @AfterEach
    void closeOtel() {
        provider.close();
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
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(backends.total());
        List<String> sent = new java.util.ArrayList<>();
        backends.get(0).headers().forEach(h -> sent.add(h.get(TRACEPARENT)));
        backends.get(1).headers().forEach(h -> sent.add(h.get(TRACEPARENT)));
        assertThat(sent).doesNotContainNull().hasSize(spans.size());
        assertThat(sent).allSatisfy(tp -> assertThat(spans).anySatisfy(s -> assertThat(tp).contains(s.getSpanId())));
    }
}
