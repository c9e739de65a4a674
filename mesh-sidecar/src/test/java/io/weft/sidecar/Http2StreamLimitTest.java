package io.weft.sidecar;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.weft.runtime.support.Utf8Marshaller;
import io.weft.sidecar.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that allows few concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS) gets no more at once from the
 * sidecar: the rest wait for their turn, and none fails or counts against the endpoint. Before, every stream beyond
 * the limit failed locally ("maximum active streams violated") and five in a row ejected the healthy endpoint.
 */
class Http2StreamLimitTest {

    private static final int LIMIT = 2;
    private static final MethodDescriptor<String, String> SLOW = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Limited", "Slow"))
            .setRequestMarshaller(Utf8Marshaller.INSTANCE).setResponseMarshaller(Utf8Marshaller.INSTANCE).build();

    @TempDir
    Path dir;

    @Test
    void streamsBeyondTheUpstreamsLimitWaitAndAllSucceed() throws Exception {
        AtomicInteger inProgress = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxConcurrentCallsPerConnection(LIMIT)
                .addService(ServerServiceDefinition.builder("test.Limited")
                        .addMethod(SLOW, ServerCalls.asyncUnaryCall((req, out) -> {
                            most.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            inProgress.decrementAndGet();
                            out.onNext("done " + req);
                            out.onCompleted();
                        }))
                        .build())
                .build().start();
        ManagedChannel channel = null;
        try (Sidecar sidecar = TestSidecar.start(dir, "service: limited\nendpoints: [ { address: 127.0.0.1:"
                + ((InetSocketAddress) server.getListenSockets().get(0)).getPort() + " } ]\n")) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", TestSidecar.outboundPort(sidecar))
                    .usePlaintext().overrideAuthority("limited").build();
            List<com.google.common.util.concurrent.ListenableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(ClientCalls.futureUnaryCall(channel.newCall(SLOW,
                        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)), "c" + i));
            }
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("done c" + i);
            }
            assertThat(most.get()).as("calls the upstream ran at once").isLessThanOrEqualTo(LIMIT);
            assertThat(sidecar.runtime().engine().snapshot().service("limited").endpoints().get(0).isEjected())
                    .as("the endpoint stays in rotation").isFalse();
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            server.shutdownNow();
        }
    }
}
