package io.weft.runtime.adapter.grpc;

import io.grpc.Metadata;
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
import java.util.concurrent.atomic.AtomicInteger;

/** Real gRPC servers of {@link EchoService} on 127.0.0.1, named b0, b1, …, each counting the calls it got. */
final class GrpcBackends implements AutoCloseable {


    private final List<Backend> backends;

    private GrpcBackends(List<Backend> backends) {
        this.backends = backends;
    }

    static GrpcBackends start(int n) throws IOException {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Backend("b" + i));
        }
        return new GrpcBackends(list);
    }

    Backend get(int i) {
        return backends.get(i);
    }

    List<Integer> counts() {
        return backends.stream().map(Backend::count).toList();
    }

    int total() {
        return backends.stream().mapToInt(Backend::count).sum();
    }

    /** YAML endpoint lines, with {@code version} labels when given. */
    String endpoints(String... versions) {
        StringBuilder sb = new StringBuilder("endpoints:\n");
        for (int i = 0; i < backends.size(); i++) {
            sb.append("  - { address: 127.0.0.1:").append(backends.get(i).port());
            if (versions.length > i) {
                sb.append(", labels: { version: ").append(versions[i]).append(" }");
            }
            sb.append(" }\n");
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        for (Backend b : backends) {
            b.server.shutdownNow();
        }
        for (Backend b : backends) {
            b.server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static final class Backend {
        private final String name;
        private final ServerServiceDefinition service;
        private volatile Server server;
        private final int port;
        private final AtomicInteger calls = new AtomicInteger();
        private final ConcurrentLinkedQueue<Metadata> headers = new ConcurrentLinkedQueue<>();
        /** When set, every call fails with it: streams after their first message (Stream of 0 at once). */
        volatile Status failWith;
        /** How long Slow waits before answering. */
        volatile long slowMillis;

        Backend(String name) throws IOException {
            this.name = name;
            ServerServiceDefinition service = ServerServiceDefinition.builder(EchoService.NAME)
                    .addMethod(EchoService.SAY, ServerCalls.asyncUnaryCall(this::say))
                    .addMethod(EchoService.SLOW, ServerCalls.asyncUnaryCall(this::slow))
                    .addMethod(EchoService.STREAM, ServerCalls.asyncServerStreamingCall(this::stream))
                    .addMethod(EchoService.COLLECT, ServerCalls.asyncClientStreamingCall(this::collect))
                    .addMethod(EchoService.CHAT, ServerCalls.asyncBidiStreamingCall(this::chat))
                    .build();
            this.service = ServerInterceptors.intercept(service, new Recorder());
            this.server = listen(0);
            this.port = server.getPort();
        }

        private Server listen(int port) throws IOException {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(service).build().start();
        }

        /** Stops at once: the port refuses, connections close. */
        void stop() throws InterruptedException {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        /** Serves again on the same port, retrying briefly while the kernel still holds it. */
        void restart() throws IOException, InterruptedException {
            for (int i = 0; ; i++) {
                try {
                    server = listen(port);
                    return;
                } catch (IOException e) {
                    if (i == 50) {
                        throw e;
                    }
                    Thread.sleep(20);
                }
            }
        }

        String name() {
            return name;
        }

        int port() {
            return port;
        }

        int count() {
            return calls.get();
        }

        /** The metadata of every call so far. */
        List<Metadata> headers() {
            return List.copyOf(headers);
        }

        private void say(String request, StreamObserver<String> out) {
            Status fail = failWith;
            if (fail != null) {
                out.onError(fail.asRuntimeException());
                return;
            }
            out.onNext(name + ":" + request);
            out.onCompleted();
        }

        private void slow(String request, StreamObserver<String> out) {
            try {
                Thread.sleep(slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            say(request, out);
        }

        private void stream(String request, StreamObserver<String> out) {
            int n = Integer.parseInt(request);
            if (n == 0 && failWith != null) {
                out.onError(failWith.asRuntimeException()); // an answer before any message: trailers only
                return;
            }
            for (int i = 0; i < n; i++) {
                out.onNext(name + ":" + i);
                if (failWith != null) {
                    out.onError(failWith.asRuntimeException());
                    return;
                }
            }
            out.onCompleted();
        }

        private StreamObserver<String> collect(StreamObserver<String> out) {
            List<String> got = new ArrayList<>();
            return new StreamObserver<>() {
                private boolean failed;

                @Override
                public void onNext(String value) {
                    got.add(value);
                    if (failWith != null && !failed) {
                        failed = true;
                        out.onError(failWith.asRuntimeException());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    if (!failed) {
                        out.onNext(name + ":" + String.join(",", got));
                        out.onCompleted();
                    }
                }
            };
        }

        private StreamObserver<String> chat(StreamObserver<String> out) {
            return new StreamObserver<>() {
                private boolean failed;

                @Override
                public void onNext(String value) {
                    if (failed) {
                        return;
                    }
                    out.onNext(name + ":" + value);
                    if (failWith != null) {
                        failed = true;
                        out.onError(failWith.asRuntimeException());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    if (!failed) {
                        out.onCompleted();
                    }
                }
            };
        }

        /** Counts calls and keeps their metadata. */
        private final class Recorder implements ServerInterceptor {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata h,
                                                                         ServerCallHandler<ReqT, RespT> next) {
                calls.incrementAndGet();
                headers.add(h);
                return next.startCall(call, h);
            }
        }
    }
}
