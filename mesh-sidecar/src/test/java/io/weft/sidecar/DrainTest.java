package io.weft.sidecar;

import io.weft.runtime.support.Backends;
import io.weft.runtime.support.Await;
import io.weft.sidecar.support.RawHttp;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shutdown: stop accepting, let what is in flight finish, close idle connections. */
class DrainTest {

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
    void drainingLetsTheRequestInFlightFinishAndRefusesNewConnections() throws Exception {
        assertThat(sidecar.isReady()).isTrue();
        try (RawHttp idle = RawHttp.connect(TestSidecar.outboundPort(sidecar))) {
            assertThat(RawHttp.statusLine(idle.send("GET / HTTP/1.1\r\nHost: orders\r\n\r\n").readResponse())).isEqualTo("HTTP/1.1 200 OK");
            backends.get(0).respond(r -> new MockResponse().setBody("slow but complete").setBodyDelay(700, TimeUnit.MILLISECONDS));
            OkHttpClient client = new OkHttpClient.Builder().proxy(TestSidecar.proxy(sidecar)).build();
            CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> {
                try (Response r = client.newCall(new Request.Builder().url("http://orders/slow").build()).execute()) {
                    return r.code() + " " + r.body().string();
                } catch (Exception e) {
                    return e.toString();
                }
            });
            Await.until(Duration.ofSeconds(10), "the slow request is in flight", () -> sidecar.inFlight() == 1);

            boolean drained = sidecar.drain(Duration.ofSeconds(10));

            assertThat(drained).isTrue();
            assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("200 slow but complete");
            assertThat(sidecar.isReady()).isFalse();
            assertThat(idle.closedByPeer()).isTrue();
            assertThatThrownBy(() -> new Socket(InetAddress.getByName("127.0.0.1"), TestSidecar.outboundPort(sidecar)).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aDrainThatRunsOutOfTimeSaysSo() throws Exception {
        backends.get(0).respond(r -> new MockResponse().setBody("too slow").setBodyDelay(2, TimeUnit.SECONDS));
        OkHttpClient client = new OkHttpClient.Builder().proxy(TestSidecar.proxy(sidecar)).build();
        CompletableFuture.runAsync(() -> {
            try (Response r = client.newCall(new Request.Builder().url("http://orders/slow").build()).execute()) {
                r.body().string();
            } catch (Exception ignored) {
                // cut by the close below
            }
        });
        Await.until(Duration.ofSeconds(10), "the slow request is in flight", () -> sidecar.inFlight() == 1);
        assertThat(sidecar.drain(Duration.ofMillis(200))).isFalse();
    }
}
