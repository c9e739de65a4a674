package io.weft.sidecar;

import io.weft.sidecar.support.RawHttp;
import io.weft.sidecar.support.StrictBackend;
import io.weft.sidecar.support.TestSidecar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Expect} never reaches an upstream: the proxy answers {@code 100-continue} itself and refuses any other
 * expectation with 417. Found by fuzzing: forwarded, an expectation the upstream refused made it read the body that
 * followed as the start of the next request on the pooled connection, so the next client got the answer to bytes it
 * never sent (request smuggling). One worker thread, so that both clients share one upstream connection.
 */
class ExpectationTest {

    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: orders\r\n\r\n";

    @TempDir
    Path dir;
    StrictBackend backend;
    Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        backend = StrictBackend.start();
        sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: 127.0.0.1:" + backend.port() + " } ]\n",
                b -> b.workerThreads(1));
    }

    @AfterEach
    void stop() {
        sidecar.close();
        backend.close();
    }

    @Test
    void anExpectationOtherThan100ContinueGets417AndTheNextClientItsOwnAnswer() throws Exception {
        String first = exchange("POST /a HTTP/1.1\r\nHost: orders\r\nExpect: 099-continue\r\nContent-Length: 3\r\n\r\nX /");
        assertThat(RawHttp.statusLine(first)).isEqualTo("HTTP/1.1 417 Expectation Failed");
        assertThat(first).contains("x-weft-local-reply: expectation-failed");
        assertThat(exchange(NEXT)).startsWith("HTTP/1.1 200 OK").endsWith("ok\n");
    }

    @Test
    void anHttp10ExpectationIsIgnoredAndNotPassedOn() throws Exception {
        String first = exchange("POST /a HTTP/1.0\r\nHost: orders\r\nExpect: 099-continue\r\nContent-Length: 3\r\n\r\nX /");
        assertThat(first).startsWith("HTTP/1.1 200 OK").endsWith("ok\n");
        assertThat(exchange(NEXT)).startsWith("HTTP/1.1 200 OK").endsWith("ok\n");
    }

    private String exchange(String request) throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            return c.send(request).readResponse();
        }
    }
}
