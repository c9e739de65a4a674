package io.weft.sidecar;

import io.weft.runtime.support.Backends;
import io.weft.sidecar.support.Answer;
import io.weft.sidecar.support.H2Responses;
import io.weft.sidecar.support.H2cRequest;
import io.weft.sidecar.support.RawHttp;
import io.weft.sidecar.support.TestSidecar;
import io.weft.sidecar.support.WireExchange;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request heads that RFC 9112 says a server must refuse, though Netty's decoder reads them, get 400 on both
 * listeners and never reach an upstream, which might read them differently (found by fuzzing the listeners).
 */
class MalformedRequestTest {

    static Backends backends;
    static Sidecar sidecar;

    @BeforeAll
    static void start() throws Exception {
        backends = Backends.start(1);
        Path dir = Files.createTempDirectory("weft-malformed");
        sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n",
                b -> b.app("127.0.0.1", backends.get(0).port()));
    }

    @AfterAll
    static void stop() throws Exception {
        sidecar.close();
        backends.close();
    }

    @BeforeEach
    void reset() {
        backends.resetCounts();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: orders\r\nHost: elsewhere\r\n\r\n"),
                Arguments.of("no Host header", "GET / HTTP/1.1\r\n\r\n"),
                Arguments.of("a Host that is no host", "GET / HTTP/1.1\r\nHost: or ders\r\n\r\n"),
                Arguments.of("userinfo in the target", "GET http://user@orders/ HTTP/1.1\r\nHost: orders\r\n\r\n"),
                Arguments.of("a target that is no path", "GET items HTTP/1.1\r\nHost: orders\r\n\r\n"),
                Arguments.of("a CONNECT target that is not host:port", "CONNECT r4:sdre43 HTTP/1.1\r\nHost: orders:443\r\n\r\n"),
                Arguments.of("a byte above ASCII in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: orders\r\n\r\n"),
                Arguments.of("a transfer coding other than chunked",
                        "POST / HTTP/1.1\r\nHost: orders\r\nTransfer-Encoding: gzip\r\n\r\n"),
                Arguments.of("chunked that is not the last coding",
                        "POST / HTTP/1.1\r\nHost: orders\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
                Arguments.of("Transfer-Encoding in HTTP/1.0",
                        "POST / HTTP/1.0\r\nHost: orders\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void getsA400OnBothListenersAndReachesNoUpstream(String why, String request) throws Exception {
        for (int port : new int[] {TestSidecar.outboundPort(sidecar), TestSidecar.inbound(sidecar).getPort()}) {
            try (RawHttp c = RawHttp.connect(port)) {
                String response = c.send(request).readResponse();
                assertThat(RawHttp.statusLine(response)).as(why + " on port " + port).isEqualTo("HTTP/1.1 400 Bad Request");
                assertThat(response).contains("x-weft-local-reply: malformed-request");
                assertThat(c.closedByPeer()).isTrue();
            }
        }
        assertThat(backends.get(0).count()).isZero();
    }

    @Test
    void aRequestLineOfAnotherHttpVersionGets505OnBothListenersAndReachesNoUpstream() throws Exception {
        for (int port : new int[] {TestSidecar.outboundPort(sidecar), TestSidecar.inbound(sidecar).getPort()}) {
            try (RawHttp c = RawHttp.connect(port)) {
                // Found by fuzzing: without a Host, as HTTP/1.0 may be, it went to the app as it was.
                String response = c.send("GET /a HTTP/2.0\r\n\r\n").readResponse();
                assertThat(RawHttp.statusLine(response)).as("port " + port).isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
                assertThat(response).contains("x-weft-local-reply: http-version-not-supported");
                assertThat(c.closedByPeer()).isTrue();
            }
        }
        assertThat(backends.get(0).count()).isZero();
    }

    @Test
    void anHttp10RequestWithoutHostReachesTheAppWithTheAppsAddressAsHost() throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.inbound(sidecar).getPort())) {
            String response = c.send("GET /old HTTP/1.0\r\n\r\n").readResponse();
            assertThat(RawHttp.statusLine(response)).endsWith("200 OK");
        }
        assertThat(backends.get(0).count()).isEqualTo(1);
        // Found by fuzzing: it went on as HTTP/1.1 without the one Host that version must carry.
        RecordedRequest seen = backends.get(0).server().takeRequest(5, TimeUnit.SECONDS);
        while (seen != null && !"/old".equals(seen.getPath())) {
            seen = backends.get(0).server().takeRequest(5, TimeUnit.SECONDS); // one another test let through
        }
        assertThat(seen).isNotNull();
        assertThat(seen.getHeaders().values("Host")).containsExactly(backends.get(0).address());
    }

    /**
     * Found by fuzzing: Netty's HTTP/2-to-HTTP/1 conversion refuses such a :path only after allocating the request's
     * buffer, which then leaked (HEADERS with END_STREAM), and the stream was reset without an answer.
     */
    @ParameterizedTest(name = "END_STREAM on HEADERS: {0}")
    @ValueSource(booleans = {true, false})
    void anHttp2PathWithASpaceGets400OnBothListenersAndReachesNoUpstream(boolean endStreamOnHeaders) throws Exception {
        for (int port : new int[] {TestSidecar.outboundPort(sidecar), TestSidecar.inbound(sidecar).getPort()}) {
            byte[] received = WireExchange.run(port, H2cRequest.get("/a b", endStreamOnHeaders), Duration.ofSeconds(10)).received();
            List<Answer> answers = H2Responses.parse(received);
            assertThat(answers).as("port " + port).hasSize(1);
            assertThat(answers.get(0).status()).isEqualTo(400);
            assertThat(answers.get(0).localReply()).isEqualTo("malformed-request");
        }
        assertThat(backends.get(0).count()).isZero();
    }

    @Test
    void theUpstreamSeesTheHostOfAnAbsoluteFormTargetNotTheHostHeader() throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            String response = c.send("GET http://orders/absolute HTTP/1.1\r\nHost: elsewhere\r\n\r\n").readResponse();
            assertThat(RawHttp.statusLine(response)).isEqualTo("HTTP/1.1 200 OK");
        }
        RecordedRequest seen = backends.get(0).server().takeRequest(5, TimeUnit.SECONDS);
        while (seen != null && !"/absolute".equals(seen.getPath())) {
            seen = backends.get(0).server().takeRequest(5, TimeUnit.SECONDS); // one another test let through
        }
        assertThat(seen).isNotNull();
        assertThat(seen.getHeader("Host")).isEqualTo("orders");
    }
}
