package io.weft.sidecar;

import io.weft.runtime.support.Backends;
import io.weft.sidecar.support.RawHttp;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headers about one connection stay on it: what the client names in {@code Connection}, {@code Keep-Alive}, and any
 * {@code TE} but {@code trailers}, in every field of the name; a WebSocket upgrade asks the upstream for {@code
 * websocket} alone. Both found by fuzzing: a second {@code TE} field used to pass when the first one said {@code
 * trailers}, and the first {@code Upgrade} field was passed on when another one said {@code websocket}.
 */
class HopByHopTest {

    @TempDir
    Path dir;
    Backends backends;
    Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        backends = Backends.start(1);
        sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n");
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        backends.close();
    }

    @Test
    void onlyTeTrailersAndNoConnectionHeaderReachTheUpstream() throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            String r = c.send("GET /te HTTP/1.1\r\nHost: orders\r\nConnection: keep-alive, x-mine\r\nx-mine: 1\r\n"
                    + "Keep-Alive: 5\r\nTE: trailers\r\nTE: gzip\r\nx-end-to-end: kept\r\n\r\n").readResponse();
            assertThat(RawHttp.statusLine(r)).isEqualTo("HTTP/1.1 200 OK");
        }
        RecordedRequest seen = backends.get(0).server().takeRequest(5, TimeUnit.SECONDS);
        assertThat(seen.getHeaders().values("TE")).containsExactly("trailers");
        assertThat(seen.getHeaders().names()).doesNotContain("Connection", "connection", "x-mine", "keep-alive", "Keep-Alive");
        assertThat(seen.getHeader("x-end-to-end")).isEqualTo("kept");
    }

    @Test
    void aWebSocketUpgradeCarriesWebsocketOnlyWhateverElseTheClientAsked() throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            c.send("GET /ws HTTP/1.1\r\nHost: orders\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").readResponse();
        }
        RecordedRequest seen = backends.get(0).server().takeRequest(5, TimeUnit.SECONDS);
        assertThat(seen.getHeaders().values("Upgrade")).containsExactly("websocket");
        assertThat(seen.getHeaders().values("Connection")).containsExactly("upgrade");
    }
}
