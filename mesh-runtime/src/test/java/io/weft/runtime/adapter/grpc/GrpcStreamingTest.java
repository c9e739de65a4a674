package io.weft.runtime.adapter.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** All four kinds of call go through the mesh; none is sent twice once part of it has left. */
class GrpcStreamingTest extends GrpcMeshTestBase {

    private static final String RETRY_UNAVAILABLE = "routes: [ { retries: { attempts: 2, on: [ unavailable ], backoff: { base: 5ms, max: 20ms } } } ]\n";

    @Test
    void everyKindOfCallWorksAndIsBalanced() throws Exception {
        mesh("service: echo\n" + backends.endpoints() + "policy: { loadBalancer: round-robin }\n");
        for (int i = 0; i < 3; i++) {
            List<String> streamed = stream(5);
            assertThat(streamed).hasSize(5);
            String backend = streamed.get(0).substring(0, 2);
            assertThat(streamed).containsExactly(backend + ":0", backend + ":1", backend + ":2", backend + ":3", backend + ":4");
            assertThat(streamCall(EchoService.COLLECT, "a", "b", "c")).singleElement().asString().matches("b[012]:a,b,c");
            List<String> chat = streamCall(EchoService.CHAT, "x", "y");
            assertThat(chat).hasSize(2);
            assertThat(chat.get(0)).endsWith(":x");
            assertThat(chat.get(1)).isEqualTo(chat.get(0).substring(0, 3) + "y");
        }
        assertThat(backends.counts()).containsExactly(3, 3, 3);
    }

    @Test
    void aStreamThatFailedAfterItsFirstMessageIsNotRetried() {
        for (int i = 0; i < 3; i++) {
            backends.get(i).failWith = Status.UNAVAILABLE.withDescription("gone mid-stream");
        }
        mesh("service: echo\n" + backends.endpoints()
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n" + RETRY_UNAVAILABLE);

        assertThatThrownBy(() -> stream(3)).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("gone mid-stream");
        assertThat(backends.total()).as("server streaming: the first message had reached the app").isEqualTo(1);

        assertThatThrownBy(() -> streamCall(EchoService.COLLECT, "a", "b")).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("gone mid-stream");
        assertThat(backends.total()).as("client streaming: messages had left").isEqualTo(2);

        assertThatThrownBy(() -> streamCall(EchoService.CHAT, "a", "b")).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("gone mid-stream");
        assertThat(backends.total()).as("bidi: messages had left").isEqualTo(3);
    }

    @Test
    void unaryAndStreamsThatNeverLeftAreRetried() throws Exception {
        int dead = io.weft.runtime.support.Ports.closedPort();
        mesh("service: echo\nendpoints:\n  - { address: 127.0.0.1:" + dead + " }\n  - { address: 127.0.0.1:"
                + backends.get(1).port() + " }\n"
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n");
        for (int i = 0; i < 4; i++) {
            assertThat(streamCall(EchoService.COLLECT, "a", "b")).containsExactly("b1:a,b");
            assertThat(streamCall(EchoService.CHAT, "c")).containsExactly("b1:c");
            assertThat(stream(2)).containsExactly("b1:0", "b1:1");
        }
    }

    @Test
    void callsAnsweredUnavailableBeforeAnyResponseMessageAreRetried() {
        backends.get(0).failWith = Status.UNAVAILABLE.withDescription("draining");
        mesh("service: echo\nendpoints:\n  - { address: 127.0.0.1:" + backends.get(0).port() + " }\n  - { address: 127.0.0.1:"
                + backends.get(1).port() + " }\n"
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n" + RETRY_UNAVAILABLE);
        for (int i = 0; i < 6; i++) {
            assertThat(say("u")).isEqualTo("b1:u");
            assertThat(stream(0)).as("answered before any message: replayed").isEmpty();
        }
        assertThat(backends.get(0).count()).as("b0 was tried, and each of its answers retried").isGreaterThan(0);
        assertThat(backends.get(1).count()).as("every call ended on b1, once").isEqualTo(12);
    }
}
