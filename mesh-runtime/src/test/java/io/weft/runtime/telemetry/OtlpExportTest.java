package io.weft.runtime.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.proto.trace.v1.Status;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.support.Await;
import io.weft.runtime.support.MeshTestBase;
import io.weft.runtime.support.OtlpReceiver;
import io.weft.runtime.support.OtlpReceiver.ReceivedSpan;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Weft's own SDK exports attempt spans over OTLP/HTTP to a real receiver on 127.0.0.1, and what it exports is
 * what the backends saw in their {@code traceparent}.
 */
class OtlpExportTest extends MeshTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MESH_WITH_RETRIES = "service: orders\nendpoints: [ { address: %s }, { address: %s } ]\n"
            + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
            + "routes: [ { name: api, retries: { attempts: 1, on: [ 503 ] } } ]\n";

    private OtlpReceiver receiver;
    private OtlpTracing otlp;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = OtlpReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        if (otlp != null) {
            otlp.close();
        }
        receiver.close();
    }

    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.tracer(otlp.tracer());
    }

    @Test
    void everyAttemptIsExportedAsAClientSpanWithTheContextTheBackendSaw() throws Exception {
        otlp = OtlpTracing.create(TracingSettings.of(receiver.endpoint()).withServiceName("checkout")
                .withHeaders(Map.of("Authorization", "Bearer s3cret")));
        backends.get(0).respond(r -> new MockResponse().setResponseCode(503));
        mesh(String.format(MESH_WITH_RETRIES, backends.get(0).address(), backends.get(1).address()));

        // Two calls: the round robin starts anywhere, so whichever starts on b0 gets a 503 and is retried on b1.
        assertThat(get("http://orders/api/items").status()).isEqualTo(200);
        assertThat(get("http://orders/api/items").status()).isEqualTo(200);
        int onB0 = backends.get(0).count();
        assertThat(onB0).as("round robin sends at least one of the calls to b0").isPositive();
        int attempts = 2 + onB0;

        otlp.close();
        Await.until(WAIT, attempts + " spans at the receiver", () -> receiver.spans().size() >= attempts);
        assertThat(receiver.rejected()).isEmpty();
        List<ReceivedSpan> spans = receiver.spans();
        assertThat(spans).as("one span per attempt").hasSize(attempts);

        // The export itself: OTLP/HTTP protobuf, gzipped, with the configured header, by the JDK's HttpClient.
        assertThat(receiver.exports()).allSatisfy(e -> {
            assertThat(e.header("Content-Type")).isEqualTo("application/x-protobuf");
            assertThat(e.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(e.header("Authorization")).isEqualTo("Bearer s3cret");
            assertThat(e.header("User-Agent")).startsWith("OTel-OTLP-Exporter-Java");
        });

        int b0Port = backends.get(0).port();
        List<Integer> ports = List.of(b0Port, backends.get(1).port());
        assertThat(spans).allSatisfy(s -> {
            assertThat(s.resourceAttribute("service.name")).isEqualTo("checkout");
            assertThat(s.resourceAttribute("telemetry.sdk.language")).isEqualTo("java");
            assertThat(s.scope()).isEqualTo("io.weft.runtime");
            assertThat(s.span().getKind()).isEqualTo(SPAN_KIND_CLIENT);
            assertThat(s.span().getName()).isEqualTo("GET");
            assertThat(s.span().getFlags() & 0x01).as("sampled flag").isEqualTo(1);
            assertThat(s.attribute("http.request.method")).isEqualTo("GET");
            assertThat(s.attribute("server.address")).isEqualTo("127.0.0.1");
            assertThat(ports).contains(((Long) s.attribute("server.port")).intValue());
            assertThat(s.attribute("url.path")).isEqualTo("/api/items");
            assertThat(s.attribute("weft.service")).isEqualTo("orders");
            assertThat(s.attribute("weft.route")).isEqualTo("api");
        });
        List<ReceivedSpan> failed = spans.stream()
                .filter(s -> s.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR).toList();
        assertThat(failed).hasSize(onB0).allSatisfy(f -> {
            assertThat(f.attribute("server.port")).isEqualTo((long) b0Port);
            assertThat(f.attribute("http.response.status_code")).isEqualTo(503L);
            assertThat(f.attribute("error.type")).isEqualTo("503");
            assertThat(f.attribute("http.request.resend_count")).isNull();
        });
        List<ReceivedSpan> retries = spans.stream().filter(s -> s.attribute("http.request.resend_count") != null).toList();
        assertThat(retries).hasSize(onB0).allSatisfy(r -> {
            assertThat(r.attribute("http.request.resend_count")).isEqualTo(1L);
            assertThat(r.attribute("http.response.status_code")).isEqualTo(200L);
            assertThat(r.attribute("server.port")).isNotEqualTo((long) b0Port);
        });

        // Each request that reached a backend carried its own attempt's span as parent.
        assertThat(receivedTraceparents()).hasSize(attempts)
                .containsExactlyInAnyOrderElementsOf(spans.stream().map(OtlpExportTest::traceparent).toList());
    }

    @Test
    void anAppSpanMadeWithTheSdkIsTheParentOfEveryAttempt() throws Exception {
        otlp = OtlpTracing.create(TracingSettings.of(receiver.endpoint()));
        backends.get(0).respond(r -> new MockResponse().setResponseCode(503));
        mesh(String.format(MESH_WITH_RETRIES, backends.get(0).address(), backends.get(1).address()));
        Span parent = otlp.openTelemetry().getTracer("app").spanBuilder("checkout").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            assertThat(get("http://orders/api/items").status()).isEqualTo(200);
            assertThat(get("http://orders/api/items").status()).isEqualTo(200);
        } finally {
            parent.end();
        }
        int attempts = 2 + backends.get(0).count();

        assertThat(otlp.flush()).isTrue();
        Await.until(WAIT, "the app span and " + attempts + " attempts", () -> receiver.spans().size() >= attempts + 1);
        List<ReceivedSpan> clients = receiver.spans().stream()
                .filter(s -> s.span().getKind() == SPAN_KIND_CLIENT).toList();
        assertThat(clients).hasSize(attempts).allSatisfy(s -> {
            assertThat(s.traceId()).isEqualTo(parent.getSpanContext().getTraceId());
            assertThat(s.parentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
            assertThat(s.resourceAttribute("service.name")).isEqualTo(TracingSettings.DEFAULT_SERVICE_NAME);
        });
        assertThat(receivedTraceparents())
                .containsExactlyInAnyOrderElementsOf(clients.stream().map(OtlpExportTest::traceparent).toList());
    }

    @Test
    void aRatioOfZeroExportsNothingButStillPropagatesAnUnsampledContext() throws Exception {
        otlp = OtlpTracing.create(TracingSettings.of(receiver.endpoint()).withSamplingRatio(0));
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n");
        assertThat(get("http://orders/a").status()).isEqualTo(200);
        assertThat(get("http://orders/b").status()).isEqualTo(200);

        List<String> traceparents = receivedTraceparents();
        assertThat(traceparents).hasSize(2).allSatisfy(tp -> {
            // The sampled bit is off; the SDK may set the W3C level-2 "random trace id" bit (02).
            assertThat(tp).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]")
                    .doesNotContain("00000000000000000000000000000000").doesNotContain("-0000000000000000-");
        });
        assertThat(traceparents.get(0)).isNotEqualTo(traceparents.get(1));
        otlp.close(); // flushes: nothing may be left to export
        assertThat(receiver.exports()).isEmpty();
        assertThat(receiver.rejected()).isEmpty();
    }

    @Test
    void aRatioOfZeroStillRecordsCallsInsideASampledTrace() throws Exception {
        otlp = OtlpTracing.create(TracingSettings.of(receiver.endpoint()).withSamplingRatio(0));
        mesh("service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n");
        // As when a request arrives with "traceparent: 00-<trace>-<span>-01" from an upstream that sampled it.
        SpanContext upstream = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Context.root().with(Span.wrap(upstream)).makeCurrent()) {
            assertThat(get("http://orders/a").status()).isEqualTo(200);
        }
        otlp.close();
        Await.until(WAIT, "the sampled attempt at the receiver", () -> !receiver.spans().isEmpty());
        ReceivedSpan span = receiver.spans().get(0);
        assertThat(receiver.spans()).hasSize(1);
        assertThat(span.traceId()).isEqualTo(upstream.getTraceId());
        assertThat(span.parentSpanId()).isEqualTo(upstream.getSpanId());
        assertThat(receivedTraceparents()).containsExactly(traceparent(span));
        assertThat(span.span().getFlags() & 0xff).as("the upstream's flags").isEqualTo(1);
    }

    @Test
    void badSettingsFailWithAMessageNamingTheSetting() {
        String ok = "http://127.0.0.1:4318";
        expectBad(() -> TracingSettings.of(null), "'endpoint'");
        expectBad(() -> TracingSettings.of(" "), "'endpoint'");
        expectBad(() -> TracingSettings.of("127.0.0.1:4318"), "'endpoint'", "http(s) URL");
        expectBad(() -> TracingSettings.of("grpc://collector:4317"), "'endpoint'", "grpc://collector:4317");
        expectBad(() -> TracingSettings.of("http://"), "'endpoint'");
        expectBad(() -> TracingSettings.of("http://collector:4318/x y"), "'endpoint'", "not a URL");
        expectBad(() -> TracingSettings.of("http://collector:4318?a=b"), "'endpoint'", "query");
        expectBad(() -> TracingSettings.of(ok).withSamplingRatio(-0.1), "'samplingRatio'", "0..1", "-0.1");
        expectBad(() -> TracingSettings.of(ok).withSamplingRatio(1.5), "'samplingRatio'", "1.5");
        expectBad(() -> TracingSettings.of(ok).withSamplingRatio(Double.NaN), "'samplingRatio'");
        expectBad(() -> TracingSettings.of(ok).withTimeout(Duration.ZERO), "'timeout'");
        expectBad(() -> TracingSettings.of(ok).withTimeout(Duration.ofSeconds(-1)), "'timeout'");
        expectBad(() -> TracingSettings.of(ok).withHeaders(Map.of("bad name", "x")), "'headers'", "bad name");
        expectBad(() -> TracingSettings.of(ok).withHeaders(Map.of("Host", "x")), "'headers'", "Host");
        expectBad(() -> TracingSettings.of(ok).withHeaders(Map.of("X-Token", "a\r\nInjected: 1")), "'headers'", "X-Token");
        assertThatThrownBy(() -> OtlpTracing.create(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsHaveDefaultsAndKeepSecretsOutOfToString() {
        TracingSettings s = TracingSettings.of("http://collector:4318").withServiceName(" ")
                .withHeaders(Map.of("Authorization", "Bearer s3cret"));
        assertThat(s.serviceName()).isEqualTo("unknown_service:java");
        assertThat(s.samplingRatio()).isEqualTo(1.0);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.toString()).contains("Authorization").doesNotContain("s3cret");
        assertThat(s.tracesUrl()).hasToString("http://collector:4318/v1/traces");
        assertThat(TracingSettings.of("https://collector:4318/").tracesUrl()).hasToString("https://collector:4318/v1/traces");
        assertThat(TracingSettings.of("http://gw/otlp").tracesUrl()).hasToString("http://gw/otlp/v1/traces");
        assertThat(TracingSettings.of("http://gw/v1/traces").tracesUrl()).hasToString("http://gw/v1/traces");
    }

    @Test
    void theExporterSendsWithTheJdkHttpClient() throws Exception {
        Logger builderLog = Logger.getLogger("io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder");
        Level before = builderLog.getLevel();
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        builderLog.setLevel(Level.FINE);
        builderLog.addHandler(capture);
        try {
            otlp = OtlpTracing.create(TracingSettings.of(receiver.endpoint()));
        } finally {
            builderLog.removeHandler(capture);
            builderLog.setLevel(before);
        }
        assertThat(messages).contains("Using HttpSender: io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSender");
    }

    @Test
    void theJdkSenderIsChosenEvenWithAnotherSenderOnTheClassPath(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/" + HttpSenderProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, OtherSenderProvider.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            List<String> onClassPath = ServiceLoader.load(HttpSenderProvider.class, loader).stream()
                    .map(p -> p.type().getName()).toList();
            assertThat(onClassPath).containsExactlyInAnyOrder(OtlpTracing.JDK_SENDER, OtherSenderProvider.class.getName());

            List<String> chosen = new ArrayList<>();
            OtlpTracing.jdkSenderOnly(loader).load(HttpSenderProvider.class).forEach(p -> chosen.add(p.getClass().getName()));
            assertThat(chosen).containsExactly(OtlpTracing.JDK_SENDER);
        }
        try (URLClassLoader without = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> OtlpTracing.jdkSenderOnly(without).load(HttpSenderProvider.class))
                    .hasMessageContaining("opentelemetry-exporter-sender-jdk");
        }
    }

    /** Stands for the OkHttp sender of an app that has it. */
    public static final class OtherSenderProvider implements HttpSenderProvider {
        @Override
        public HttpSender createSender(HttpSenderConfig config) {
            throw new UnsupportedOperationException("not the JDK sender");
        }
    }

    private static void expectBad(org.assertj.core.api.ThrowableAssert.ThrowingCallable settings, String... parts) {
        assertThatThrownBy(settings).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(parts));
    }

    private List<String> receivedTraceparents() throws InterruptedException {
        List<String> received = new ArrayList<>();
        for (int b = 0; b < backends.all().size(); b++) {
            for (RecordedRequest r; (r = backends.get(b).server().takeRequest(100, TimeUnit.MILLISECONDS)) != null; ) {
                received.add(r.getHeader("traceparent"));
            }
        }
        return received;
    }

    /** The header the attempt should have sent: its ids and its trace flags, as exported. */
    private static String traceparent(ReceivedSpan s) {
        return "00-" + s.traceId() + "-" + s.spanId() + "-" + String.format("%02x", s.span().getFlags() & 0xff);
    }
}
