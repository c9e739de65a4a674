package io.weft.sidecar;

import io.weft.runtime.support.Backends;
import io.weft.sidecar.support.TestSidecar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow clients that keep a connection busy without ever asking anything are closed in bounded time, though every
 * byte they send resets the idle timeout: one that trickles the HTTP/2 preface (within the header timeout), and an
 * h2c one that opens no stream and sends PINGs (within the idle timeout). Found by the hostile-connections load test.
 */
class SlowConnectionTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(300);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    private static final byte[] PING = {0, 0, 8, 6, 0, 0, 0, 0, 0, 'p', 'i', 'n', 'g', 'p', 'o', 'n', 'g'};

    @TempDir
    Path dir;
    Backends backends;
    Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        backends = Backends.start(1);
        sidecar = TestSidecar.start(dir, "service: orders\nendpoints: [ { address: " + backends.get(0).address() + " } ]\n",
                b -> b.limits(ProxyLimits.defaults().withHeaderTimeout(HEADER_TIMEOUT).withIdleTimeout(IDLE_TIMEOUT)));
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        backends.close();
    }

    @Test
    void aClientTricklingTheHttp2PrefaceIsClosedWithinTheHeaderTimeout() throws Exception {
        // All but its last byte, one a tick: 2.3 s of bytes, each one resetting the idle timeout.
        long took = closedAfter(tick -> tick < PREFACE.length - 1 ? new byte[] {PREFACE[tick]} : new byte[0]);
        assertThat(Duration.ofNanos(took)).isLessThan(HEADER_TIMEOUT.plus(Duration.ofSeconds(1)));
    }

    @Test
    void anH2cConnectionThatOpensNoStreamIsClosedWithinTheIdleTimeoutWhateverItSends() throws Exception {
        long took = closedAfter(tick -> tick == 0 ? concat(PREFACE, SETTINGS) : PING);
        assertThat(Duration.ofNanos(took)).isLessThan(IDLE_TIMEOUT.plus(Duration.ofSeconds(1)));
    }

    /** What the client writes at each tick (empty: nothing). */
    private interface Trickle {
        byte[] at(int tick);
    }

    /** Writes {@code trickle} a tick at a time until the sidecar closes; how long that took, at most 10 s. */
    private long closedAfter(Trickle trickle) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", TestSidecar.outboundPort(sidecar)));
            s.setSoTimeout((int) TICK.toMillis());
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long start = System.nanoTime();
            byte[] buf = new byte[1024];
            for (int tick = 0; System.nanoTime() - start < Duration.ofSeconds(10).toNanos(); tick++) {
                try {
                    out.write(trickle.at(tick));
                    out.flush();
                } catch (IOException closed) {
                    return System.nanoTime() - start;
                }
                try {
                    if (in.read(buf) < 0) {
                        return System.nanoTime() - start;
                    }
                } catch (SocketTimeoutException quiet) {
                    // still open: next tick
                } catch (IOException reset) {
                    return System.nanoTime() - start;
                }
            }
            throw new AssertionError("still open after 10 s");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
