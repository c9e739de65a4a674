package io.weft.runtime.reliability;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.weft.runtime.support.Utf8Marshaller;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real grpc-java server on 127.0.0.1 whose life the test controls, the gRPC twin of {@link ControlledBackend}:
 * {@link #kill()} stops it at once (listener and connections closed, calls in progress cut off), {@link #restart()}
 * serves again on the same port. It records the {@code x-request-id} of every call it received, before answering:
 * a call recorded here was executed, whatever the client later saw. All gRPC calls are POSTs.
 */
final class GrpcControlledServer implements AutoCloseable {

    static final MethodDescriptor<String, String> WORK = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Orders", "Work"))
            .setRequestMarshaller(Utf8Marshaller.INSTANCE)
            .setResponseMarshaller(Utf8Marshaller.INSTANCE)
            .build();
    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    private final String name;
    private final Duration serviceTime;
    private final Queue<ControlledBackend.Receipt> receipts = new ConcurrentLinkedQueue<>();
    private volatile Server server;
    private int port;

    private GrpcControlledServer(String name, Duration serviceTime) {
        this.name = name;
        this.serviceTime = serviceTime;
    }

    /** @param serviceTime how long each call takes, so that some are in progress when the server dies */
    static GrpcControlledServer start(String name, Duration serviceTime) throws IOException {
        GrpcControlledServer s = new GrpcControlledServer(name, serviceTime);
        s.listen(0);
        return s;
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Every call received so far, across restarts, in arrival order. */
    List<ControlledBackend.Receipt> receipts() {
        return List.copyOf(receipts);
    }

    /** Stops now: the port refuses, connections close, calls in progress get no answer. */
    synchronized void kill() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Serves again on the same port, retrying briefly while the kernel still holds it. */
    synchronized void restart() throws IOException, InterruptedException {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                listen(port);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(20);
            }
        }
        throw last;
    }

    @Override
    public synchronized void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen(int onPort) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Orders")
                .addMethod(WORK, ServerCalls.asyncUnaryCall(this::work))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", onPort))
                .addService(ServerInterceptors.intercept(service, new Receiver()))
                .build().start();
        port = server.getPort();
    }

    private void work(String request, StreamObserver<String> out) {
        try {
            Thread.sleep(serviceTime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.onNext(name);
        out.onCompleted();
    }

    /** Records each call as it arrives (with its id), before the service runs. */
    private final class Receiver implements ServerInterceptor {
        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                     ServerCallHandler<ReqT, RespT> next) {
            String id = headers.get(REQUEST_ID);
            receipts.add(new ControlledBackend.Receipt(name, id, "POST", System.nanoTime()));
            return next.startCall(call, headers);
        }
    }
}
