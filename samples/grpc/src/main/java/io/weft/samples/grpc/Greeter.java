package io.weft.samples.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of {@code sample.Greeter} on 127.0.0.1: {@code Hello} (unary) answers {@code <instance>: hello
 * <name>}, {@code Count} (server streaming) sends three numbered messages. Written without protoc, UTF-8
 * strings as messages: real gRPC on the wire all the same. An instance can be told to fail with UNAVAILABLE.
 */
final class Greeter implements AutoCloseable {

    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<String, String> HELLO = method("Hello", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<String, String> COUNT = method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);

    private final String name;
    private final String version;
    private final Server server;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();

    private Greeter(String name, String version) throws IOException {
        this.name = name;
        this.version = version;
        ServerServiceDefinition service = ServerServiceDefinition.builder("sample.Greeter")
                .addMethod(HELLO, ServerCalls.asyncUnaryCall((request, response) -> {
                    calls.incrementAndGet();
                    if (failing.get()) {
                        response.onError(Status.UNAVAILABLE.withDescription(name + " is failing").asRuntimeException());
                        return;
                    }
                    response.onNext(name + ": hello " + request);
                    response.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    calls.incrementAndGet();
                    for (int i = 1; i <= 3; i++) {
                        response.onNext(name + ": " + i);
                    }
                    response.onCompleted();
                }))
                .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service)
                .build().start();
    }

    static Greeter start(String name, String version) throws IOException {
        return new Greeter(name, version);
    }

    String name() {
        return name;
    }

    String version() {
        return version;
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    int calls() {
        return calls.get();
    }

    void fail(boolean on) {
        failing.set(on);
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("sample.Greeter", name))
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
