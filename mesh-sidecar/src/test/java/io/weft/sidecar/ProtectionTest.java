package io.weft.sidecar;

import io.weft.runtime.support.Backends;
import io.weft.sidecar.support.RawHttp;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Misbehaving clients get a clear status and lose their connection; everyone else is served as before. */
class ProtectionTest {

    @TempDir
    Path dir;
    Backends backends;
    Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        backends = Backends.start(1);
        sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n",
                b -> b.limits(ProxyLimits.defaults().withMaxHeaderSize(4096).withMaxRequestLine(1024)
                        .withHeaderTimeout(Duration.ofMillis(300)).withMaxConnections(4)));
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        backends.close();
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        assertRefused("GET / HTTP/1.1\r\nHost: orders\r\nX-Big: " + "a".repeat(8000) + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large");
    }

    @Test
    void anOversizedRequestLineGets414() throws Exception {
        assertRefused("GET /" + "a".repeat(3000) + " HTTP/1.1\r\nHost: orders\r\n\r\n", "HTTP/1.1 414 Request-URI Too Long");
    }

    @Test
    void headersThatNeverEndGet408() throws Exception {
        assertRefused("GET / HTTP/1.1\r\nHost: ord", "HTTP/1.1 408 Request Timeout");
    }

    @Test
    void garbageGets400() throws Exception {
        assertRefused("garbage bytes HERE\r\n\r\n", "HTTP/1.1 400 Bad Request");
    }

    @Test
    void connectionsBeyondTheMaximumAreClosedAtOnce() throws Exception {
        RawHttp[] open = new RawHttp[4];
        for (int i = 0; i < open.length; i++) {
            open[i] = RawHttp.connect(TestSidecar.outboundPort(sidecar));
            // A full round trip makes sure the sidecar has counted this connection before the next one.
            assertThat(RawHttp.statusLine(open[i].send("GET / HTTP/1.1\r\nHost: orders\r\n\r\n").readResponse()))
                    .isEqualTo("HTTP/1.1 200 OK");
        }
        try (RawHttp fifth = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            assertThat(fifth.closedByPeer()).isTrue();
        }
        assertThat(RawHttp.statusLine(open[0].send("GET / HTTP/1.1\r\nHost: orders\r\n\r\n").readResponse()))
                .isEqualTo("HTTP/1.1 200 OK");
        for (RawHttp c : open) {
            c.close();
        }
    }

    private void assertRefused(String request, String status) throws Exception {
        try (RawHttp bad = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            String response = bad.send(request).readResponse();
            assertThat(RawHttp.statusLine(response)).isEqualTo(status);
            assertThat(response).contains("x-weft-local-reply:");
            assertThat(bad.closedByPeer()).isTrue();
        }
        assertThat(backends.get(0).count()).isZero();
        OkHttpClient client = new OkHttpClient.Builder().proxy(TestSidecar.proxy(sidecar)).build();
        try (Response r = client.newCall(new Request.Builder().url("http://orders/after").build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("b0");
        }
    }
}
