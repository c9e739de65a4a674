package io.weft.sidecar;

import io.weft.sidecar.support.BulkBackend;
import io.weft.sidecar.support.MeshIdentities;
import io.weft.sidecar.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies far larger than anything the proxy may hold pass through it: it reads a part only when the other side
 * can take it. Measured by the proxy's own count of body bytes held, not by timing. (A 1 GB body goes the same
 * way; 200 MB keeps the test short.) The same holds over mTLS between two sidecars, where TLS sits under the
 * read-on-demand flow at both ends.
 */
class LargeBodyTest {

    private static final long MB = 1024 * 1024;
    /** Far below the bodies, far above what a read or two and the sockets' write buffers hold. */
    private static final long MAX_HELD = MB;

    /** The app's sidecar straight to the backend, or over mTLS to the backend's sidecar (STRICT). */
    enum Route { PLAINTEXT, MTLS }

    @TempDir
    static Path dir;
    static BulkBackend backend;
    static Sidecar sidecar;
    static BulkBackend mtlsBackend;
    static Sidecar bulkSidecar;
    static Sidecar appSidecar;

    @BeforeAll
    static void start() throws Exception {
        backend = new BulkBackend();
        sidecar = TestSidecar.start(dir, "service: bulk\nendpoints: [ { address: " + backend.address() + " } ]\n");
        mtlsBackend = new BulkBackend();
        String strict = "service: bulk\nendpoints: [ %s ]\npolicy: { tls: { mode: STRICT } }\n";
        bulkSidecar = TestSidecar.start(dir, strict.formatted(""), b -> b.service("bulk")
                .identity(MeshIdentities.of("bulk")).app("127.0.0.1", mtlsBackend.port()));
        appSidecar = TestSidecar.start(dir,
                strict.formatted("{ address: 127.0.0.1:" + TestSidecar.inbound(bulkSidecar).getPort() + " }"),
                b -> b.service("app").identity(MeshIdentities.of("app")));
    }

    @AfterAll
    static void stop() throws Exception {
        appSidecar.close();
        bulkSidecar.close();
        sidecar.close();
        mtlsBackend.close();
        backend.close();
    }

    @BeforeEach
    void resetMeter() {
        for (Sidecar s : List.of(sidecar, appSidecar, bulkSidecar)) {
            s.bufferMeter().resetHighWater();
        }
    }

    private static Sidecar entry(Route route) {
        return route == Route.PLAINTEXT ? sidecar : appSidecar;
    }

    private static void assertBoundedMemory(Route route) {
        for (Sidecar s : route == Route.PLAINTEXT ? List.of(sidecar) : List.of(appSidecar, bulkSidecar)) {
            assertThat(s.bufferMeter().highWater()).isPositive().isLessThan(MAX_HELD);
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void a200MegabyteUploadStreamsThroughInBoundedMemory(Route route) throws Exception {
        long size = 200 * MB;
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), TestSidecar.outboundPort(entry(route)))) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST http://bulk/upload HTTP/1.1\r\nHost: bulk\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            String response = readAll(s.getInputStream(), ("received " + size).length());
            assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("received " + size);
        }
        assertBoundedMemory(route);
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void a200MegabyteDownloadToASlowReaderStreamsThroughInBoundedMemory(Route route) throws Exception {
        long size = 200 * MB;
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), TestSidecar.outboundPort(entry(route)))) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("GET /bytes/" + size + " HTTP/1.1\r\nHost: bulk\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            Thread.sleep(300); // a slow consumer, for a moment: the upstream must wait, not the proxy's heap grow
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: " + size);
            byte[] buf = new byte[64 * 1024];
            long got = 0;
            while (got < size) {
                int r = in.read(buf);
                if (r < 0) {
                    break;
                }
                got += r;
            }
            assertThat(got).isEqualTo(size);
        }
        assertBoundedMemory(route);
    }

    private static String readAll(InputStream in, int bodyLength) throws Exception {
        String head = readHead(in);
        return head + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }
}
