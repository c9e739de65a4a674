package io.weft.sidecar;

import io.weft.runtime.support.Utf8Marshaller;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.weft.sidecar.support.TestSidecar;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTP/2 with prior knowledge and gRPC (grpc-java on both ends) through the sidecar, which speaks h2 upstream too. */
class Http2AndGrpcTest {

    private static final MethodDescriptor.Marshaller<String> TEXT = Utf8Marshaller.INSTANCE;
    private static final MethodDescriptor<String, String> HELLO = method("Hello", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> COUNT = method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
    private static final MethodDescriptor<String, String> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);

    @TempDir
    static Path dir;
    static Server grpcServer;
    static MockWebServer h2Server;
    static Sidecar sidecar;
    static ManagedChannel greeter;

    @BeforeAll
    static void start() throws Exception {
        grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerServiceDefinition.builder("test.Greeter")
                        .addMethod(HELLO, ServerCalls.asyncUnaryCall((req, out) -> {
                            out.onNext("hello " + req);
                            out.onCompleted();
                        }))
                        .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((req, out) -> {
                            for (int i = 0; i < Integer.parseInt(req); i++) {
                                out.onNext("item " + i);
                            }
                            out.onCompleted();
                        }))
                        .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<String>() {
                            @Override
                            public void onNext(String m) {
                                out.onNext("echo " + m);
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                out.onCompleted();
                            }
                        }))
                        .addMethod(FAIL, ServerCalls.asyncUnaryCall((req, out) ->
                                out.onError(Status.NOT_FOUND.withDescription("no such thing: " + req).asRuntimeException())))
                        .build())
                .build().start();
        h2Server = new MockWebServer();
        h2Server.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
        h2Server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return new MockResponse().setBody("h2 backend got " + r.getMethod() + " " + r.getPath() + " body=" + r.getBodySize());
            }
        });
        h2Server.start(InetAddress.getByName("127.0.0.1"), 0);
        sidecar = TestSidecar.start(dir, """
                service: greeter
                endpoints: [ { address: 127.0.0.1:%d } ]
                ---
                service: h2svc
                endpoints: [ { address: 127.0.0.1:%d } ]
                """.formatted(((InetSocketAddress) grpcServer.getListenSockets().get(0)).getPort(), h2Server.getPort()));
        greeter = channel("greeter");
    }

    @AfterAll
    static void stop() throws Exception {
        greeter.shutdownNow();
        sidecar.close();
        grpcServer.shutdownNow();
        h2Server.shutdown();
    }

    @Test
    void h2cWithPriorKnowledgeGoesThroughAndStaysHttp2() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
        String url = "http://127.0.0.1:" + TestSidecar.outboundPort(sidecar) + "/things";
        try (Response get = client.newCall(new Request.Builder().url(url).header("Host", "h2svc").build()).execute();
             Response post = client.newCall(new Request.Builder().url(url).header("Host", "h2svc")
                     .post(RequestBody.create(new byte[300_000], MediaType.get("application/octet-stream"))).build()).execute()) {
            assertThat(get.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(get.body().string()).isEqualTo("h2 backend got GET /things body=0");
            assertThat(post.body().string()).isEqualTo("h2 backend got POST /things body=300000");
        }
    }

    @Test
    void unaryCallsGoThroughTheMesh() {
        String reply = ClientCalls.blockingUnaryCall(greeter, HELLO, options(), "mesh");
        assertThat(reply).isEqualTo("hello mesh");
    }

    @Test
    void manyConcurrentCallsShareOneConnection() throws Exception {
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(toCompletable(ClientCalls.futureUnaryCall(greeter.newCall(HELLO, options()), "n" + i)));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(calls.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("hello n" + i);
        }
    }

    @Test
    void serverStreamingDeliversEveryMessageAndTheTrailers() {
        List<String> items = new ArrayList<>();
        ClientCalls.blockingServerStreamingCall(greeter, COUNT, options(), "2000").forEachRemaining(items::add);
        assertThat(items).hasSize(2000).startsWith("item 0", "item 1").endsWith("item 1999");
    }

    @Test
    void bidiStreamingIsFullDuplex() throws Exception {
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(greeter.newCall(CHAT, options()),
                new StreamObserver<>() {
                    @Override
                    public void onNext(String value) {
                        replies.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (int i = 0; i < 5; i++) {
            requests.onNext("m" + i);
            // Each answer arrives while the request stream is still open.
            assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("echo m" + i);
        }
        requests.onCompleted();
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anErrorStatusFromTheServerReachesTheClient() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(greeter, FAIL, options(), "x"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such thing: x");
                });
    }

    @Test
    void aServiceOutsideTheMeshGetsAGrpcStatusNamingIt() {
        ManagedChannel nowhere = channel("nowhere");
        try {
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(nowhere, HELLO, options(), "x"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains("'nowhere' is not a mesh service");
                    });
        } finally {
            nowhere.shutdownNow();
        }
    }

    private static ManagedChannel channel(String service) {
        return NettyChannelBuilder.forAddress("127.0.0.1", TestSidecar.outboundPort(sidecar))
                .usePlaintext().overrideAuthority(service).build();
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Greeter", name))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }

    private static <T> CompletableFuture<T> toCompletable(com.google.common.util.concurrent.ListenableFuture<T> f) {
        CompletableFuture<T> c = new CompletableFuture<>();
        f.addListener(() -> {
            try {
                c.complete(f.get());
            } catch (Exception e) {
                c.completeExceptionally(e);
            }
        }, Runnable::run);
        return c;
    }
}
