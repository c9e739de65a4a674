package io.weft.sidecar;

import io.weft.runtime.support.Backends;
import io.weft.sidecar.support.RawHttp;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain HTTP client (no Weft code) calls mesh services through the outbound listener, as a forward proxy and by
 * Host header; the engine balances, splits by weight, retries and answers locally, exactly as in process.
 */
class OutboundTest {

    @TempDir
    static Path dir;
    static Backends backends;
    static Sidecar sidecar;
    static OkHttpClient viaProxy;
    static OkHttpClient direct;
    static int closedPort;

    @BeforeAll
    static void start() throws Exception {
        backends = Backends.start(3);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        String b0 = backends.get(0).address(), b1 = backends.get(1).address(), b2 = backends.get(2).address();
        String yaml = """
                service: orders
                endpoints: [ { address: %s }, { address: %s }, { address: %s } ]
                policy: { loadBalancer: round-robin }
                ---
                service: payments
                endpoints:
                  - { address: %s, labels: { version: v1 } }
                  - { address: %s, labels: { version: v1 } }
                  - { address: %s, labels: { version: v2 } }
                subsets: { v1: { version: v1 }, v2: { version: v2 } }
                routes:
                  - { name: canary, to: [ { subset: v1, weight: 75 }, { subset: v2, weight: 25 } ] }
                ---
                service: flaky
                endpoints: [ { address: 127.0.0.1:%d }, { address: %s } ]
                policy: { loadBalancer: round-robin }
                ---
                service: broken
                endpoints: [ { address: %s } ]
                routes:
                  - { name: chaos, fault: { abort: { percent: 100, status: 503 } } }
                """.formatted(b0, b1, b2, b0, b1, b2, closedPort, b0, b0);
        sidecar = TestSidecar.start(dir, yaml);
        viaProxy = new OkHttpClient.Builder().proxy(TestSidecar.proxy(sidecar)).build();
        direct = new OkHttpClient();
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

    @Test
    void callsAsAForwardProxySpreadOverTheThreeBackends() throws Exception {
        for (int i = 0; i < 30; i++) {
            assertThat(status(viaProxy, "http://orders/items/" + i)).isEqualTo(200);
        }
        assertThat(backends.counts()).containsExactly(10, 10, 10);
    }

    @Test
    void callsByHostHeaderGoThroughTheMeshToo() throws Exception {
        String url = "http://127.0.0.1:" + TestSidecar.outboundPort(sidecar) + "/items";
        for (int i = 0; i < 30; i++) {
            try (Response r = direct.newCall(new Request.Builder().url(url).header("Host", "orders").build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
        }
        assertThat(backends.counts()).containsExactly(10, 10, 10);
        assertThat(backends.get(0).server().takeRequest().getHeader("Host")).isEqualTo("orders");
    }

    @Test
    void aWeightedRouteSplitsTrafficBetweenSubsets() throws Exception {
        int n = 400;
        for (int i = 0; i < n; i++) {
            assertThat(status(viaProxy, "http://payments/pay")).isEqualTo(200);
        }
        int[] counts = backends.counts();
        // 25 % to v2 (b2): 100 expected; the bounds are over 5 standard deviations wide.
        assertThat(counts[2]).isBetween(55, 145);
        assertThat(counts[0]).isPositive();
        assertThat(counts[1]).isPositive();
        assertThat(counts[0] + counts[1] + counts[2]).isEqualTo(n);
    }

    @Test
    void theEngineRetriesAConnectFailureOnAnotherEndpoint() throws Exception {
        for (int i = 0; i < 6; i++) {
            try (Response r = viaProxy.newCall(new Request.Builder().url("http://flaky/x").build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.body().string()).isEqualTo("b0");
            }
        }
    }

    @Test
    void faultAbortsAreTheEnginesLocalReplies() throws Exception {
        try (Response r = get(viaProxy, "http://broken/x")) {
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.header("x-weft-local-reply")).isEqualTo("fault-abort");
            assertThat(r.body().string()).contains("route 'chaos' of broken");
        }
        assertThat(backends.get(0).count()).isZero();
    }

    @Test
    void aHostOutsideTheMeshIsRefusedByName() throws Exception {
        try (Response r = get(viaProxy, "http://example.com/")) {
            assertThat(r.code()).isEqualTo(502);
            assertThat(r.header("x-weft-local-reply")).isEqualTo("not-a-mesh-service");
            assertThat(r.body().string()).contains("'example.com' is not a mesh service");
        }
        String url = "http://127.0.0.1:" + TestSidecar.outboundPort(sidecar) + "/";
        try (Response r = direct.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(r.code()).isEqualTo(502);
            assertThat(r.body().string()).contains("'127.0.0.1' is not a mesh service");
        }
    }

    @Test
    void connectTunnelsAreRefused() throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            String r = c.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n").readResponse();
            assertThat(RawHttp.statusLine(r)).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        try (RawHttp c = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            c.send("GET /a HTTP/1.1\r\nHost: orders\r\n\r\nGET /b HTTP/1.1\r\nHost: payments\r\n\r\n"
                    + "GET /c HTTP/1.1\r\nHost: nowhere\r\n\r\n");
            assertThat(RawHttp.statusLine(c.readResponse())).isEqualTo("HTTP/1.1 200 OK");
            assertThat(RawHttp.statusLine(c.readResponse())).isEqualTo("HTTP/1.1 200 OK");
            String third = c.readResponse();
            assertThat(RawHttp.statusLine(third)).isEqualTo("HTTP/1.1 502 Bad Gateway");
            assertThat(third).contains("'nowhere' is not a mesh service");
        }
    }

    private static int status(OkHttpClient client, String url) throws IOException {
        try (Response r = get(client, url)) {
            return r.code();
        }
    }

    private static Response get(OkHttpClient client, String url) throws IOException {
        return client.newCall(new Request.Builder().url(url).build()).execute();
    }
}
