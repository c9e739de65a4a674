package io.weft.sidecar;

import io.weft.sidecar.support.TestSidecar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A WebSocket upgrade passes through: after the 101 the sidecar copies bytes both ways. */
class WebSocketTest {

    @TempDir
    Path dir;
    MockWebServer server;
    Sidecar sidecar;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.enqueue(new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onMessage(WebSocket ws, String text) {
                ws.send("echo " + text);
            }

            @Override
            public void onClosing(WebSocket ws, int code, String reason) {
                ws.close(1000, "bye");
            }
        }));
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        sidecar = TestSidecar.start(dir, "service: chat\nendpoints: [ { address: 127.0.0.1:" + server.getPort() + " } ]\n");
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        server.shutdown();
    }

    @Test
    void messagesFlowBothWaysAfterTheUpgrade() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        OkHttpClient client = new OkHttpClient.Builder().proxy(TestSidecar.proxy(sidecar)).build();
        WebSocket ws = client.newWebSocket(new Request.Builder().url("ws://chat/socket").build(), new WebSocketListener() {
            @Override
            public void onMessage(WebSocket webSocket, String text) {
                received.add(text);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                received.add("failure: " + t);
            }
        });
        for (int i = 0; i < 3; i++) {
            ws.send("hello " + i);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo hello " + i);
        }
        ws.close(1000, "done");
        assertThat(server.takeRequest().getHeader("Upgrade")).isEqualTo("websocket");
    }
}
