package io.weft.runtime.adapter.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.support.Mesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Three real gRPC servers per test, and a runtime with a meshed channel to service {@code echo}. */
abstract class GrpcMeshTestBase {

    protected GrpcBackends backends;
    protected WeftRuntime runtime;
    protected ManagedChannel channel;

    @BeforeEach
    void startBackends() throws Exception {
        backends = GrpcBackends.start(3);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (runtime != null) {
            runtime.close();
        }
        backends.close();
    }

    /** Builds the runtime from YAML and a channel to {@code echo}. */
    protected void mesh(String yaml) {
        runtime = configure(WeftRuntime.builder().config(Mesh.yaml(yaml))).build();
        channel = MeshGrpc.channel(runtime.engine(), "echo");
    }

    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder;
    }

    protected String say(String request) {
        return say(channel, request, CallOptions.DEFAULT);
    }

    protected static String say(Channel on, String request, CallOptions options) {
        return ClientCalls.blockingUnaryCall(on, EchoService.SAY, options.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    }

    /** The status a call failed with, or OK. */
    protected static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    protected List<String> stream(int n) {
        List<String> got = new ArrayList<>();
        Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, EchoService.STREAM,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), Integer.toString(n));
        it.forEachRemaining(got::add);
        return got;
    }

    /** Sends the requests on a client stream (COLLECT) or a bidi stream (CHAT); returns the responses. */
    protected List<String> streamCall(io.grpc.MethodDescriptor<String, String> method, String... requests) throws Exception {
        Collector collector = new Collector();
        StreamObserver<String> out = method.getType() == io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING
                ? ClientCalls.asyncClientStreamingCall(channel.newCall(method, callOptions()), collector)
                : ClientCalls.asyncBidiStreamingCall(channel.newCall(method, callOptions()), collector);
        for (String r : requests) {
            out.onNext(r);
        }
        out.onCompleted();
        return collector.done.get(10, TimeUnit.SECONDS);
    }

    private static CallOptions callOptions() {
        return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** Collects a response stream; fails with the call's status. */
    static final class Collector implements StreamObserver<String> {
        final List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<List<String>> done = new CompletableFuture<>();

        @Override
        public void onNext(String value) {
            got.add(value);
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(List.copyOf(got));
        }
    }
}
