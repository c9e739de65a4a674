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
 * The inbound listener refuses CONNECT as the outbound one does, rather than pass it to the app, whose 2xx would
 * turn a pooled upstream connection into a tunnel the proxy cannot carry (found by fuzzing the inbound listener).
 */
class InboundConnectTest {

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
    void connectGets405AndNeverReachesTheApp() throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.inbound(sidecar).getPort())) {
            String r = c.send("CONNECT orders:443 HTTP/1.1\r\nHost: orders:443\r\n\r\n").readResponse();
            assertThat(RawHttp.statusLine(r)).isEqualTo("HTTP/1.1 405 Method Not Allowed");
            assertThat(r).contains("x-weft-local-reply: connect-not-supported");
        }
        assertThat(backends.get(0).count()).isZero();
    }
}
