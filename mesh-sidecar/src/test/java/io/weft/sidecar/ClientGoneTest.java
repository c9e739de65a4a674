package io.weft.sidecar;

import io.weft.runtime.support.Await;
import io.weft.sidecar.support.Answer;
import io.weft.sidecar.support.H2Responses;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.Protocol;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that give up before the answer (a load generator at the end of its run, a closed browser tab) say nothing
 * about the endpoint. Found under h2load: the streams it cut off at the end of each run counted as the endpoint's
 * resets, ejected the service's only endpoint, and the next run got nothing but 503s.
 */
class ClientGoneTest {

    @TempDir
    Path dir;
    MockWebServer backend;
    Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        backend = new MockWebServer();
        backend.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)); // the sidecar speaks upstream what its client spoke
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return "/slow".equals(r.getPath())
                        ? new MockResponse().setHeadersDelay(3, TimeUnit.SECONDS).setBody("late")
                        : new MockResponse().setBody("ok");
            }
        });
        backend.start(java.net.InetAddress.getLoopbackAddress(), 0);
        // Outlier detection as configured by default: 5 consecutive failures eject.
        sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: 127.0.0.1:" + backend.getPort() + " } ]\n");
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        backend.close();
    }

    @Test
    void http2ClientsLeavingWhileTheirRequestIsUpstreamNeitherEjectTheEndpointNorGetItRetried() throws Exception {
        int gone = 8;
        for (int i = 1; i <= gone; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", TestSidecar.outboundPort(sidecar)), 5_000);
                s.getOutputStream().write(h2cGet("/slow"));
                int reached = i;
                Await.until(Duration.ofSeconds(5), "request " + reached + " upstream", () -> backend.getRequestCount() >= reached);
            } // closed with the request upstream
        }
        assertThat(answerTo(h2cGet("/fast"))).isEqualTo(new Answer(200, null, "ok"));
        assertThat(backend.getRequestCount()).as("one request per client: none retried for a client that left").isEqualTo(gone + 1);
    }

    /** Sends {@code request} on a connection kept open (HTTP/2 has no half-close) until the first answer is in. */
    private Answer answerTo(byte[] request) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", TestSidecar.outboundPort(sidecar)), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (true) {
                int n = s.getInputStream().read(buf);
                assertThat(n).as("the proxy closed before answering").isPositive();
                received.write(buf, 0, n);
                List<Answer> answers = H2Responses.parse(received.toByteArray());
                if (!answers.isEmpty() && !answers.get(0).body().isEmpty()) {
                    return answers.get(0);
                }
            }
        }
    }

    /** The h2c preface, empty SETTINGS, and a GET of {@code path} for orders on stream 1 (HPACK literals). */
    private static byte[] h2cGet(String path) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET
        block.write(0x86); // :scheme http
        literal(block, 0x04, path); // :path
        literal(block, 0x01, "orders"); // :authority
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(out, 0x4, 0, new byte[0]); // SETTINGS
        frame(out, 0x1, 0x5, block.toByteArray()); // HEADERS on stream 1, END_STREAM | END_HEADERS
        return out.toByteArray();
    }

    private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        block.write(nameIndex);
        block.write(v.length);
        block.writeBytes(v);
    }

    private static void frame(ByteArrayOutputStream out, int type, int flags, byte[] payload) {
        int stream = type == 0x4 ? 0 : 1;
        out.writeBytes(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, 0, 0, 0, (byte) stream});
        out.writeBytes(payload);
    }
}
