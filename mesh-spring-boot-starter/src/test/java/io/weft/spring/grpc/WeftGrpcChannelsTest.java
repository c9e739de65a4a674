package io.weft.spring.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.weft.runtime.support.Utf8Marshaller;
import io.weft.spring.WeftAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A gRPC call through the mesh with a channel from {@link WeftGrpcChannels}, to a real server on 127.0.0.1. */
class WeftGrpcChannelsTest {

    private static final MethodDescriptor<String, String> HELLO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Greeter", "Hello"))
            .setRequestMarshaller(Utf8Marshaller.INSTANCE)
            .setResponseMarshaller(Utf8Marshaller.INSTANCE)
            .build();

    private Server server;

    @BeforeEach
    void start() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerServiceDefinition.builder("test.Greeter")
                        .addMethod(HELLO, ServerCalls.asyncUnaryCall((name, out) -> {
                            out.onNext("hello " + name);
                            out.onCompleted();
                        }))
                        .build())
                .build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aChannelFromTheBeanCallsTheServiceThroughTheMeshAndClosesWithTheContext(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("greeter.yaml"),
                "service: greeter\nendpoints: [ { address: 127.0.0.1:" + server.getPort() + " } ]\n");
        AtomicReference<ManagedChannel> channel = new AtomicReference<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WeftAutoConfiguration.class, WeftGrpcAutoConfiguration.class))
                .withPropertyValues("weft.config=" + config)
                .run(context -> {
                    WeftGrpcChannels channels = context.getBean(WeftGrpcChannels.class);
                    channel.set(channels.channel("greeter"));
                    assertThat(channels.channel("greeter")).isSameAs(channel.get());
                    assertThat(ClientCalls.blockingUnaryCall(channel.get(), HELLO, CallOptions.DEFAULT, "weft"))
                            .isEqualTo("hello weft");
                });
        assertThat(channel.get().isShutdown()).isTrue();
    }
}
