package io.weft.agent.it.support;

import io.weft.runtime.support.Utf8Marshaller;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Three real gRPC servers of {@code test.Echo} on 127.0.0.1 ({@code b0}, {@code b1}, {@code b2}) for the gRPC
 * scenario: {@code Say} answers the server's name, except that the last server answers {@code UNAVAILABLE} to the
 * request {@code flaky}; {@code Slow} waits two seconds first; {@code Stream} answers the name as many times as
 * asked. Every call's server and {@code x-app-call} metadata are recorded.
 */
public final class GrpcEchoServers implements AutoCloseable {

    private static final Metadata.Key<String> APP_CALL = Metadata.Key.of("x-app-call", Metadata.ASCII_STRING_MARSHALLER);

    /** A call as a server got it. */
    public record Seen(String server, String appCall) {
    }

    private final List<Server> servers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();

    public static GrpcEchoServers start() throws IOException {
        GrpcEchoServers s = new GrpcEchoServers();
        for (int i = 0; i < 3; i++) {
            s.servers.add(s.server("b" + i, i == 2));
        }
        return s;
    }

    public int port(int i) {
        return servers.get(i).getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public void clearSeen() {
        seen.clear();
    }

    private Server server(String name, boolean flaky) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
                .addMethod(method("Say", MethodDescriptor.MethodType.UNARY), ServerCalls.asyncUnaryCall(
                        (String request, StreamObserver<String> out) -> {
                            if (flaky && request.equals("flaky")) {
                                out.onError(Status.UNAVAILABLE.withDescription(name + " is flaky").asRuntimeException());
                            } else {
                                out.onNext(name);
                                out.onCompleted();
                            }
                        }))
                .addMethod(method("Slow", MethodDescriptor.MethodType.UNARY), ServerCalls.asyncUnaryCall(
                        (String request, StreamObserver<String> out) -> {
                            try {
                                Thread.sleep(2_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            out.onNext(name);
                            out.onCompleted();
                        }))
                .addMethod(method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING), ServerCalls.asyncServerStreamingCall(
                        (String request, StreamObserver<String> out) -> {
                            for (int i = 0; i < Integer.parseInt(request); i++) {
                                out.onNext(name);
                            }
                            out.onCompleted();
                        }))
                .build();
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                         ServerCallHandler<ReqT, RespT> next) {
                seen.add(new Seen(name, headers.get(APP_CALL)));
                return next.startCall(call, headers);
            }
        };
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(service, recorder)).build().start();
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        MethodDescriptor.Marshaller<String> utf8 = Utf8Marshaller.INSTANCE;
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(utf8).setResponseMarshaller(utf8).build();
    }

    @Override
    public void close() throws InterruptedException {
        servers.forEach(Server::shutdownNow);
        for (Server s : servers) {
            s.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
