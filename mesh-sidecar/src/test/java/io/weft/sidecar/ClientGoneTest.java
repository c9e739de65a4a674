package io.weft.sidecar;

import io.weft.runtime.support.Await;
import io.weft.sidecar.support.Answer;
import io.weft.sidecar.support.H2Responses;
import io.weft.sidecar.support.H2cRequest;
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
                s.getOutputStream().write(H2cRequest.get("/slow", true));
                int reached = i;
                Await.until(Duration.ofSeconds(5), "request " + reached + " upstream", () -> backend.getRequestCount() >= reached);
            } // closed with the request upstream
        }
        assertThat(answerTo(H2cRequest.get("/fast", true))).isEqualTo(new Answer(200, null, "ok"));
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
}
