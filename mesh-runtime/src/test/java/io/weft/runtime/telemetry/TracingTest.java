package io.weft.runtime.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.adapter.jdkhttp.MeshHttpClient;
import io.weft.runtime.support.Mesh;
import io.weft.runtime.support.MeshTestBase;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A span per attempt, children of the app's span, and their context arrives at the backend. */
class TracingTest extends MeshTestBase {

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
    void eachAttemptIsAClientSpanWhoseContextReachesTheBackend() throws Exception {
        backends.get(0).respond(r -> new MockResponse().setResponseCode(503));
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " }, { address: "
                + backends.get(1).address() + " } ]\n"
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
                + "routes: [ { name: api, retries: { attempts: 1, on: [ 503 ] } } ]\n");
        Span parent = otel.getTracer("app").spanBuilder("checkout").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            // Two calls: whichever starts on b0 gets a 503 and is retried on b1.
            assertThat(get("http://orders/api/items").status()).isEqualTo(200);
            assertThat(get("http://orders/api/items").status()).isEqualTo(200);
        } finally {
            parent.end();
        }

        List<SpanData> attempts = new ArrayList<>(exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT).toList());
        attempts.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
        int onB0 = backends.get(0).count();
        assertThat(onB0).as("round robin sends at least one of the calls to b0").isPositive();
        assertThat(attempts).hasSize(2 + onB0);
        assertThat(attempts).allSatisfy(s -> {
            assertThat(s.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
            assertThat(s.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
            assertThat(s.getName()).isEqualTo("GET");
            assertThat(s.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
            assertThat(s.getAttributes().get(AttributeKey.stringKey("weft.service"))).isEqualTo("orders");
            assertThat(s.getAttributes().get(AttributeKey.stringKey("weft.route"))).isEqualTo("api");
            assertThat(s.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/api/items");
        });
        List<SpanData> failed = attempts.stream().filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR).toList();
        assertThat(failed).hasSize(onB0).allSatisfy(f -> {
            assertThat(f.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503L);
            assertThat(f.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
        });
        List<SpanData> retries = attempts.stream()
                .filter(s -> s.getAttributes().get(AttributeKey.longKey("http.request.resend_count")) != null).toList();
        assertThat(retries).hasSize(onB0).allSatisfy(r ->
                assertThat(r.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L));

        // Every request that reached a backend carried its own attempt's span as parent.
        List<String> received = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            for (RecordedRequest r; (r = backends.get(b).server().takeRequest(100, TimeUnit.MILLISECONDS)) != null; ) {
                received.add(r.getHeader("traceparent"));
            }
        }
        assertThat(received).hasSize(attempts.size()).allSatisfy(tp -> assertThat(tp).isNotNull());
        assertThat(received).containsExactlyInAnyOrderElementsOf(attempts.stream()
                .map(TracingTest::traceparent).toList());
    }

    private static String traceparent(SpanData s) {
        return "00-" + s.getTraceId() + "-" + s.getSpanId() + "-" + s.getSpanContext().getTraceFlags().asHex();
    }

    @Test
    void withoutAnAppSpanACallAndItsRetriesAreOneTrace() throws Exception {
        backends.get(0).respondStatus(503);
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " }, { address: "
                + backends.get(1).address() + " } ]\n"
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
                + "routes: [ { name: api, retries: { attempts: 1, on: [ 503 ] } } ]\n");
        int calls = 0;
        while (calls < 4 && backends.get(0).count() == 0) {
            assertThat(get("http://orders/api").status()).isEqualTo(200);
            calls++;
        }
        SpanData retry = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getAttributes().get(AttributeKey.longKey("http.request.resend_count")) != null)
                .findFirst().orElseThrow();
        SpanData first = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(retry.getParentSpanId())).findFirst().orElseThrow();
        assertThat(first.getParentSpanContext().isValid()).as("the first attempt roots the trace").isFalse();
        assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(retry.getTraceId()).isEqualTo(first.getTraceId());
        assertThat(exporter.getFinishedSpanItems()).as("one more span than calls: the retry")
                .hasSize(calls + 1);
        assertThat(exporter.getFinishedSpanItems().stream().map(SpanData::getTraceId).distinct().count())
                .as("one trace per call").isEqualTo(calls);
    }

    @Test
    void theJdkClientCarriesTraceContextToo() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends));
        HttpClient http = MeshHttpClient.wrap(runtime.engine(), HttpClient.newHttpClient());
        http.send(HttpRequest.newBuilder(URI.create("http://orders/jdk")).build(), HttpResponse.BodyHandlers.discarding());
        SpanData span = exporter.getFinishedSpanItems().get(0);
        String expected = traceparent(span);
        String seen = null;
        for (int b = 0; b < 3 && seen == null; b++) {
            RecordedRequest r = backends.get(b).server().takeRequest(100, TimeUnit.MILLISECONDS);
            seen = r == null ? null : r.getHeader("traceparent");
        }
        assertThat(seen).isEqualTo(expected);
    }
}
