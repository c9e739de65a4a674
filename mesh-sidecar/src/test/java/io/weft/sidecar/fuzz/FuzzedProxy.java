package io.weft.sidecar.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.weft.sidecar.ProxyLimits;
import io.weft.sidecar.Sidecar;
import io.weft.sidecar.support.Answer;
import io.weft.sidecar.support.LogWatch;
import io.weft.sidecar.support.StrictBackend;
import io.weft.sidecar.support.TestSidecar;
import io.weft.sidecar.support.WireExchange;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The system under fuzzing: a sidecar whose outbound listener routes service {@code orders} and whose inbound
 * listener serves the app of {@code orders}, both to one {@link StrictBackend}. Small head limits so that 414 and
 * 431 are within reach of short inputs; outlier detection off so that one input cannot change the next one's fate.
 */
final class FuzzedProxy implements AutoCloseable {

    /**
     * Far beyond what a connection needs on a loaded machine, even while fuzzing starts (Jazzer instruments each class
     * as it loads, seconds for the first inputs); past it the proxy is hanging.
     */
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final byte[] PREFACE = ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf());

    private final StrictBackend backend;
    private final Sidecar sidecar;
    private final LogWatch logs = LogWatch.start();
    private byte[] previous = new byte[0];

    private FuzzedProxy(StrictBackend backend, Sidecar sidecar) {
        this.backend = backend;
        this.sidecar = sidecar;
    }

    static FuzzedProxy start() throws Exception {
        StrictBackend backend = StrictBackend.start();
        String yaml = """
                service: orders
                endpoints: [ { address: 127.0.0.1:%d } ]
                policy: { outlierDetection: { enabled: false } }
                authorization:
                  - deny: { paths: [ "/admin/*" ] }
                """.formatted(backend.port());
        Path dir = Files.createTempDirectory("weft-fuzz");
        Sidecar sidecar = TestSidecar.start(dir, yaml, b -> b.service("orders").app("127.0.0.1", backend.port())
                .limits(ProxyLimits.defaults().withMaxHeaderSize(1024).withMaxRequestLine(256)
                        .withHeaderTimeout(Duration.ofSeconds(2)).withIdleTimeout(Duration.ofSeconds(10))));
        return new FuzzedProxy(backend, sidecar);
    }

    int outboundPort() {
        return TestSidecar.outboundPort(sidecar);
    }

    int inboundPort() {
        return TestSidecar.inbound(sidecar).getPort();
    }

    /** Sends {@code bytes} as one connection to {@code port} and checks what happened against the {@link Verdict}. */
    void check(int port, byte[] bytes) throws Exception {
        try {
            judge(port, bytes);
        } catch (Exception | Error e) {
            // While fuzzing, libFuzzer may end the JVM before JUnit reports the failure: say it here as well, with the
            // input before (the proxy's pools and the backend outlive a connection).
            System.err.println("weft fuzz finding: " + e + "\n--- the input before:\n" + Verdict.escape(previous));
            throw e;
        } finally {
            previous = bytes;
        }
    }

    private void judge(int port, byte[] bytes) throws Exception {
        logs.clear();
        long before = backend.http1Requests();
        allowLoopback();
        WireExchange wire = WireExchange.run(port, bytes, DEADLINE);
        Verdict.check(bytes, wire, startsAsHttp2(bytes), backend.http1Requests() - before, logs.lines());
    }

    /**
     * Jazzer's SSRF detector refuses every connection once fuzzing starts (after the JUnit replay of the seeds, which
     * may have run this already); the proxy's are all to 127.0.0.1, and some are made between inputs (a pool
     * replacing a connection), so they are allowed before each input for good, never restored.
     */
    private static void allowLoopback() {
        BugDetectors.allowNetworkConnections(FuzzedProxy::loopback);
    }

    private static boolean loopback(String host, int port) {
        return host.equals("127.0.0.1") || host.equals("localhost");
    }

    /** Whether the proxy takes these bytes for HTTP/2: the whole connection preface, as its detector decides. */
    private static boolean startsAsHttp2(byte[] bytes) {
        return bytes.length >= PREFACE.length && Arrays.equals(bytes, 0, PREFACE.length, PREFACE, 0, PREFACE.length);
    }

    /** After any input, a plain request on each listener is still answered by the backend. */
    void assertStillServes() throws Exception {
        byte[] plain = "GET /still HTTP/1.1\r\nHost: orders\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int port : new int[] {outboundPort(), inboundPort()}) {
            List<Answer> answers = Http1Responses.parse(WireExchange.run(port, plain, DEADLINE).received());
            if (!answers.equals(List.of(new Answer(200, null, "ok\n")))) {
                throw new AssertionError("after fuzzing, a plain request to port " + port + " got " + answers);
            }
        }
    }

    @Override
    public void close() {
        logs.close();
        sidecar.close();
        backend.close();
    }
}
