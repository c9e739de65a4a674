package io.weft.runtime.adapter;

import io.weft.runtime.adapter.jdkhttp.MeshHttpClient;
import io.weft.runtime.support.Mesh;
import io.weft.runtime.support.MeshTestBase;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDK HttpClient adapter gets the same engine behaviour as OkHttp, sync and async. */
class JdkHttpClientAdapterTest extends MeshTestBase {

    private HttpClient http() {
        return MeshHttpClient.wrap(runtime.engine(), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).build();
    }

    @Test
    void syncAndAsyncCallsAreBalanced() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends) + "policy: { loadBalancer: round-robin }\n");
        HttpClient http = http();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = http.send(get("http://orders/items?i=" + i), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("b");
        }
        List<CompletableFuture<HttpResponse<String>>> async = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            async.add(http.sendAsync(get("http://orders/async"), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : async) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(backends.counts()).containsExactly(20, 20, 20);
        assertThat(backends.get(0).server().takeRequest().getPath()).startsWith("/items?i=");
    }

    @Test
    void retriesAndEjectionWorkWithoutBlocking() throws Exception {
        backends.get(0).respondStatus(503);
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { loadBalancer: round-robin, outlierDetection: { consecutiveErrors: 2, baseEjectionTime: 10s } }\n"
                + "routes: [ { retries: { attempts: 2, on: [ gateway-error ], backoff: { base: 5ms, max: 20ms } } } ]\n");
        HttpClient http = http();
        List<CompletableFuture<HttpResponse<String>>> async = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            async.add(http.sendAsync(get("http://orders/"), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : async) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(backends.get(0).count()).isBetween(2, 30);
    }

    @Test
    void perTryTimeoutUsesTheRequestTimeout() throws Exception {
        backends.get(0).respond(r -> new MockResponse().setBody("slow").setHeadersDelay(1, TimeUnit.SECONDS));
        mesh("service: orders\n" + Mesh.endpoints(backends)
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
                + "routes: [ { retries: { attempts: 2, on: [ timeout ], perTryTimeout: 200ms } } ]\n");
        HttpClient http = http();
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(get("http://orders/"), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isNotEqualTo("slow");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(900);
        }
    }

    @Test
    void localRepliesGoThroughTheAppsBodyHandler() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends) + "routes: [ { name: api, rateLimit: { requestsPerSecond: 1 } } ]\n");
        HttpClient http = http();
        http.send(get("http://orders/"), HttpResponse.BodyHandlers.discarding());
        HttpResponse<InputStream> limited = http.send(get("http://orders/"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("x-weft-local-reply")).hasValue("rate-limited");
        try (InputStream in = limited.body()) {
            assertThat(new String(in.readAllBytes())).contains("route 'api'");
        }
    }

    @Test
    void otherHostsGoStraightToTheClient() throws Exception {
        mesh("service: orders\n" + Mesh.endpoints(backends));
        HttpResponse<String> r = http().send(get("http://" + backends.get(2).address() + "/direct"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("b2");
        assertThat(backends.counts()).containsExactly(0, 0, 1);
    }
}
