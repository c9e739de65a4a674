package io.weft.runtime.adapter;

import io.weft.runtime.adapter.urlconnection.MeshHttpURLConnection;
import io.weft.runtime.support.Mesh;
import io.weft.runtime.support.MeshTestBase;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HttpURLConnection in the mesh: the same routing and policies, with the JDK connection's own behaviour. */
class UrlConnectionAdapterTest extends MeshTestBase {

    private HttpURLConnection open(String url) throws IOException {
        return MeshHttpURLConnection.open(runtime.engine(), new URL(url));
    }

    private static String read(HttpURLConnection c) throws IOException {
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void callsAreBalancedAndKeepPathQueryAndHeaders() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends) + "policy: { loadBalancer: round-robin }\n");
        for (int i = 0; i < 30; i++) {
            HttpURLConnection c = open("http://orders/items?page=" + i);
            c.setRequestProperty("X-Request-Id", "r" + i);
            assertThat(c.getResponseCode()).isEqualTo(200);
            assertThat(read(c)).startsWith("b");
            assertThat(c.getHeaderField("content-length")).isNotNull();
        }
        assertThat(backends.counts()).containsExactly(10, 10, 10);
        RecordedRequest first = backends.get(0).server().takeRequest(5, TimeUnit.SECONDS);
        assertThat(first.getPath()).startsWith("/items?page=");
        assertThat(first.getHeader("X-Request-Id")).startsWith("r");
    }

    @Test
    void aPostBodyIsSentAndA503IsRetriedOnlyWhenAllowed() throws Exception {
        backends.get(0).respondStatus(503);
        backends.get(1).respondStatus(503);
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
                + "routes: [ { retries: { attempts: 2, on: [ 503 ] } } ]\n");
        HttpURLConnection get = open("http://orders/read");
        assertThat(get.getResponseCode()).isEqualTo(200);
        assertThat(read(get)).isEqualTo("b2");

        backends.resetCounts();
        int answered503 = 0;
        for (int i = 0; i < 3; i++) {
            HttpURLConnection post = open("http://orders/pay");
            post.setDoOutput(true);
            post.setRequestProperty("Content-Type", "text/plain");
            try (OutputStream out = post.getOutputStream()) {
                out.write("amount=5".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(post.getRequestMethod()).isEqualTo("POST");
            if (post.getResponseCode() == 503) {
                answered503++;
                try (InputStream err = post.getErrorStream()) {
                    assertThat(new String(err.readAllBytes())).contains("503");
                }
                assertThatThrownBy(post::getInputStream).isInstanceOf(IOException.class).hasMessageContaining("503");
            }
        }
        assertThat(answered503).as("POSTs that got a 503 were not retried").isEqualTo(2);
        assertThat(backends.get(0).count() + backends.get(1).count() + backends.get(2).count()).isEqualTo(3);
        RecordedRequest body = backends.get(2).server().takeRequest(5, TimeUnit.SECONDS);
        while (body != null && !body.getMethod().equals("POST")) {
            body = backends.get(2).server().takeRequest(5, TimeUnit.SECONDS);
        }
        assertThat(body).isNotNull();
        assertThat(body.getBody().readUtf8()).isEqualTo("amount=5");
    }

    @Test
    void localRepliesLookLikeServerAnswers() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends) + "routes: [ { fault: { abort: { percent: 100, status: 404 } } } ]\n");
        HttpURLConnection c = open("http://orders/missing");
        assertThat(c.getResponseCode()).isEqualTo(404);
        assertThat(c.getHeaderField("X-Weft-Local-Reply")).isEqualTo("fault-abort");
        assertThat(c.getHeaderField(0)).startsWith("HTTP/1.1 404");
        assertThatThrownBy(c::getInputStream).isInstanceOf(java.io.FileNotFoundException.class);
        assertThat(backends.counts()).containsExactly(0, 0, 0);
    }

    @Test
    void otherHostsGetTheJdksOwnConnection() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends));
        HttpURLConnection c = open("http://" + backends.get(1).address() + "/direct");
        assertThat(c).isNotInstanceOf(MeshHttpURLConnection.class);
        assertThat(read(c)).isEqualTo("b1");
    }
}
