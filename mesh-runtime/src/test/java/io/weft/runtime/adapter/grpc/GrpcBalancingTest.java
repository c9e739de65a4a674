package io.weft.runtime.adapter.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.weft.runtime.support.Ports;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's endpoint choice, splits, ejection and retries, for calls on a grpc-java channel. */
class GrpcBalancingTest extends GrpcMeshTestBase {

    @Test
    void roundRobinSpreadsCallsOverTheInstances() {
        mesh("service: echo\n" + backends.endpoints() + "policy: { loadBalancer: round-robin }\n");
        for (int i = 0; i < 30; i++) {
            assertThat(say("hi" + i)).matches("b[012]:hi" + i);
        }
        assertThat(backends.counts()).containsExactly(10, 10, 10);
    }

    @Test
    void routesSplitByMethodPath() {
        mesh("service: echo\n" + backends.endpoints("v1", "v2", "v2")
                + "subsets: { v1: { version: v1 }, v2: { version: v2 } }\n"
                + "policy: { loadBalancer: round-robin }\n"
                + "routes:\n"
                + "  - { name: say, match: { path: { exact: /test.Echo/Say } }, to: [ { subset: v1, weight: 80 }, { subset: v2, weight: 20 } ] }\n"
                + "  - { name: rest, to: [ { subset: v2 } ] }\n");
        for (int i = 0; i < 100; i++) {
            say("x");
        }
        int sayOnV1 = backends.get(0).count();
        assertThat(sayOnV1).as("about 80 of 100 Say calls on v1").isBetween(60, 95);
        for (int i = 0; i < 20; i++) {
            assertThat(stream(2)).hasSize(2).allMatch(s -> s.startsWith("b1:") || s.startsWith("b2:"));
        }
        assertThat(backends.get(0).count()).as("Stream goes to v2 only").isEqualTo(sayOnV1);
    }

    @Test
    void ringHashKeepsAMetadataKeyOnOneInstance() {
        mesh("service: echo\n" + backends.endpoints()
                + "policy: { loadBalancer: { type: ring-hash, hashHeader: x-user } }\n");
        io.grpc.Channel withUser = io.grpc.ClientInterceptors.intercept(channel,
                io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(userHeader("alice")));
        String first = say(withUser, "a", CallOptions.DEFAULT);
        for (int i = 0; i < 10; i++) {
            assertThat(say(withUser, "a", CallOptions.DEFAULT)).isEqualTo(first);
        }
    }

    @Test
    void anInstanceAnsweringUnavailableIsEjectedWhileCallsSucceed() {
        backends.get(0).failWith = Status.UNAVAILABLE.withDescription("b0 is draining");
        mesh("service: echo\n" + backends.endpoints()
                + "policy: { loadBalancer: round-robin, outlierDetection: { consecutiveErrors: 2, baseEjectionTime: 30s } }\n"
                + "routes: [ { retries: { attempts: 2, on: [ unavailable ], backoff: { base: 5ms, max: 20ms } } } ]\n");
        for (int i = 0; i < 60; i++) {
            assertThat(say("r" + i)).matches("b[12]:r" + i);
        }
        assertThat(backends.get(0).count()).as("b0 ejected after two UNAVAILABLE answers").isBetween(2, 3);
        assertThat(runtime.engine().snapshot().service("echo").endpoints().get(0).isEjected()).isTrue();
    }

    @Test
    void answeredUnavailableIsRetriedOnlyWhenTheRouteSaysSo() {
        backends.get(0).failWith = Status.UNAVAILABLE;
        mesh("service: echo\n" + backends.endpoints()
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n");
        int failed = 0;
        for (int i = 0; i < 12; i++) {
            if (codeOf(() -> say("x")) == Status.Code.UNAVAILABLE) {
                failed++;
            }
        }
        assertThat(failed).as("the default retries only calls that never left").isEqualTo(4);
    }

    @Test
    void anUnreachableEndpointIsRetriedElsewhereByDefault() throws Exception {
        int dead = Ports.closedPort();
        mesh("service: echo\nendpoints:\n  - { address: 127.0.0.1:" + dead + " }\n  - { address: 127.0.0.1:"
                + backends.get(1).port() + " }\n"
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n");
        for (int i = 0; i < 10; i++) {
            assertThat(say("c" + i)).isEqualTo("b1:c" + i);
        }
    }

    @Test
    void anInstanceBackOnItsPortIsCalledAgainWithoutWaitingOutGrpcsConnectBackoff() throws Exception {
        // UNAVAILABLE and resets retried too: the first call after the stop may still go out on b0's connection
        // before the client has seen it close, and fail UNAVAILABLE ("Connection closed after GOAWAY"), a call that
        // may have left, which the default retries leave alone (a clean-clone build saw it once). What is tested
        // here is the reconnect once b0 is back.
        mesh("service: echo\n" + backends.endpoints()
                + "policy: { loadBalancer: round-robin, outlierDetection: { enabled: false } }\n"
                + "routes: [ { name: main, retries: { on: [ connect-failure, reset, unavailable ] } } ]\n");
        for (int i = 0; i < 3; i++) {
            say("warm");
        }
        backends.get(0).stop();
        for (int i = 0; i < 6; i++) {
            assertThat(say("down" + i)).as("b0 down: its calls retried elsewhere").matches("b[12]:down" + i);
        }
        backends.get(0).restart();
        // grpc-java's own reconnect would come 1 s (with jitter, 0.8 s) after the failure above; the mesh's sooner.
        Thread.sleep(400);
        int before = backends.get(0).count();
        for (int i = 0; i < 6; i++) {
            assertThat(say("up" + i)).matches("b[012]:up" + i);
        }
        assertThat(backends.get(0).count() - before).as("calls b0 took once back").isEqualTo(2);
    }

    @Test
    void routeTimeoutAndTheAppsDeadlineEndSlowCalls() {
        for (int i = 0; i < 3; i++) {
            backends.get(i).slowMillis = 3_000;
        }
        mesh("service: echo\n" + backends.endpoints()
                + "routes:\n"
                + "  - { name: slow, match: { path: { prefix: /test.Echo/Slow } }, timeout: 200ms }\n"
                + "  - { name: rest }\n");
        assertThat(codeOf(() -> io.grpc.stub.ClientCalls.blockingUnaryCall(channel, EchoService.SLOW,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "x")))
                .as("the route's timeout").isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(codeOf(() -> io.grpc.stub.ClientCalls.blockingUnaryCall(channel, EchoService.SLOW,
                CallOptions.DEFAULT.withDeadlineAfter(200, TimeUnit.MILLISECONDS), "x")))
                .as("the app's deadline").isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        // A different route, no mesh timeout: the app's own deadline still holds.
        backends.get(0).slowMillis = 0;
        assertThat(say("fast")).startsWith("b");
    }

    @Test
    void aPlainWeftTargetUsesTheDefaultEngine() throws Exception {
        mesh("service: echo\n" + backends.endpoints() + "policy: { loadBalancer: round-robin }\n");
        MeshGrpc.defaultEngine(runtime::engine);
        ManagedChannel plain = ManagedChannelBuilder.forTarget("weft:///echo").usePlaintext()
                .intercept(new MeshClientInterceptor(runtime::engine, "echo")).build();
        try {
            for (int i = 0; i < 6; i++) {
                assertThat(say(plain, "p", CallOptions.DEFAULT)).matches("b[012]:p");
            }
            assertThat(backends.counts()).containsExactly(2, 2, 2);
        } finally {
            MeshGrpc.defaultEngine(null);
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static io.grpc.Metadata userHeader(String user) {
        io.grpc.Metadata m = new io.grpc.Metadata();
        m.put(io.grpc.Metadata.Key.of("x-user", io.grpc.Metadata.ASCII_STRING_MARSHALLER), user);
        return m;
    }
}
