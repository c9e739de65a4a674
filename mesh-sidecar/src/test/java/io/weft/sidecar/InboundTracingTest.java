package io.weft.sidecar;

import io.weft.runtime.support.Await;
import io.weft.runtime.support.OtlpReceiver;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the sidecar receives mesh traffic it continues the caller's trace: a SERVER span, child of the caller's
 * span from {@code traceparent}, exported over OTLP to a real receiver, and the app gets that span's context.
 */
class InboundTracingTest {

    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @TempDir
    Path dir;

    @Test
    void theInboundSpanContinuesTheCallersTraceAndTheAppSeesIt() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start(); MockWebServer app = new MockWebServer()) {
            app.start(InetAddress.getByName("127.0.0.1"), 0);
            app.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));
            Sidecar sidecar = TestSidecar.start(dir, "service: payments\nendpoints: []\n", b -> b
                    .service("payments").app("127.0.0.1", app.getPort())
                    .telemetry(SidecarTelemetry.NONE.withTracing(otlp.endpoint(), 1.0)));
            try {
                OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
                Request request = new Request.Builder()
                        .url("http://127.0.0.1:" + TestSidecar.inbound(sidecar).getPort() + "/charge?id=7")
                        .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01").build();
                try (Response r = http.newCall(request).execute()) {
                    assertThat(r.code()).isEqualTo(503);
                }
            } finally {
                sidecar.close(); // exports what is left
            }
            RecordedRequest seen = app.takeRequest(5, TimeUnit.SECONDS);
            String[] toApp = seen.getHeader("traceparent").split("-");
            assertThat(toApp[1]).as("the app continues the caller's trace").isEqualTo(CALLER_TRACE);
            assertThat(toApp[2]).as("with the sidecar's span as parent").isNotEqualTo(CALLER_SPAN);

            Await.until(Duration.ofSeconds(10), "the span reaches the receiver", () -> !otlp.spans().isEmpty());
            OtlpReceiver.ReceivedSpan span = otlp.spans().get(0);
            assertThat(span.span().getKind().name()).isEqualTo("SPAN_KIND_SERVER");
            assertThat(span.traceId()).isEqualTo(CALLER_TRACE);
            assertThat(span.parentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(span.spanId()).isEqualTo(toApp[2]);
            assertThat(span.attribute("url.path")).isEqualTo("/charge");
            assertThat(span.attribute("http.response.status_code")).isEqualTo(503L);
            assertThat(span.resourceAttribute("service.name")).isEqualTo("payments");
        }
    }
}
