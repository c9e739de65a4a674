package io.weft.sidecar;

import io.weft.runtime.support.Backends;
import io.weft.sidecar.support.RawHttp;
import io.weft.sidecar.support.TestSidecar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that ends its side of the connection once its requests are out (a TCP half-close: {@code nc -N}, scripts,
 * some HTTP/1.0 clients) still gets every answer on both listeners; the proxy closes once it has answered. Found by
 * fuzzing: the first request of a connection used to be aborted, its backend call made but never answered.
 */
class HalfClosedClientTest {

    @TempDir
    Path dir;
    Backends backends;
    Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        backends = Backends.start(1);
        sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n",
                b -> b.app("127.0.0.1", backends.get(0).port()));
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        backends.close();
    }

    @Test
    void theFirstRequestOfAConnectionIsAnswered() throws Exception {
        for (int port : new int[] {TestSidecar.outboundPort(sidecar), TestSidecar.inbound(sidecar).getPort()}) {
            try (RawHttp c = RawHttp.connect(port)) {
                String r = c.send("GET /once HTTP/1.1\r\nHost: orders\r\n\r\n").halfClose().readResponse();
                assertThat(RawHttp.statusLine(r)).isEqualTo("HTTP/1.1 200 OK");
                assertThat(c.closedByPeer()).isTrue();
            }
        }
        assertThat(backends.get(0).count()).isEqualTo(2);
    }

    @Test
    void pipelinedRequestsAreAllAnswered() throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            c.send("GET /a HTTP/1.1\r\nHost: orders\r\n\r\nPOST /b HTTP/1.1\r\nHost: orders\r\nContent-Length: 2\r\n\r\nhi"
                    + "GET /c HTTP/1.1\r\nHost: orders\r\n\r\n").halfClose();
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttp.statusLine(c.readResponse())).isEqualTo("HTTP/1.1 200 OK");
            }
            assertThat(c.closedByPeer()).isTrue();
        }
    }
}
