package io.weft.sidecar;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.weft.runtime.security.MeshTls;
import io.weft.runtime.security.PeerIdentity;
import io.weft.runtime.support.Utf8Marshaller;
import io.weft.sidecar.support.MeshIdentities;
import io.weft.sidecar.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gRPC over mTLS (h2 agreed by ALPN): a plaintext gRPC client of the frontend sidecar reaches the greeter app
 * through the greeter's sidecar (STRICT, with rules), and a gRPC server that takes mTLS itself; denied calls end
 * with {@code PERMISSION_DENIED}.
 */
class GrpcOverMtlsTest {

    private static final String FRONTEND = "spiffe://weft.local/ns/default/sa/frontend";
    private static final MethodDescriptor<String, String> HELLO = method("Hello", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> SECRET = method("Secret", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
    /** Who called, as the server knows it: its TLS session's peer, else what its sidecar said. */
    private static final Context.Key<String> CALLER = Context.key("caller");

    @TempDir
    static Path dir;
    static Server greeterApp;
    static Server vault;
    static Sidecar greeter;
    static Sidecar frontend;
    static ManagedChannel viaFrontend;

    @BeforeAll
    static void start() throws Exception {
        greeterApp = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(greeterService()).build().start();
        MeshTls vaultTls = MeshIdentities.tls("vault");
        ServerCredentials vaultCredentials = TlsServerCredentials.newBuilder().keyManager(vaultTls.keyManager())
                .trustManager(vaultTls.serverTrustManager()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
        vault = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), vaultCredentials)
                .addService(greeterService()).build().start();

        greeter = TestSidecar.start(dir, """
                service: greeter
                endpoints: []
                policy: { tls: { mode: STRICT } }
                authorization:
                  - name: no-secrets
                    deny: { paths: [ "/test.Greeter/Secret" ] }
                  - name: frontend
                    allow: { from: [ "%s" ] }
                """.formatted(FRONTEND), b -> b.service("greeter").identity(MeshIdentities.of("greeter"))
                .app("127.0.0.1", port(greeterApp)));
        frontend = TestSidecar.start(dir, """
                service: greeter
                endpoints: [ { address: 127.0.0.1:%d } ]
                policy: { tls: { mode: STRICT } }
                ---
                service: vault
                endpoints: [ { address: 127.0.0.1:%d } ]
                policy: { tls: { mode: STRICT } }
                """.formatted(TestSidecar.inbound(greeter).getPort(), port(vault)),
                b -> b.service("frontend").identity(MeshIdentities.of("frontend")));
        viaFrontend = plaintextChannel("greeter");
    }

    @AfterAll
    static void stop() {
        viaFrontend.shutdownNow();
        frontend.close();
        greeter.close();
        vault.shutdownNow();
        greeterApp.shutdownNow();
    }

    @Test
    void aUnaryCallCrossesBothSidecarsOverMtlsAndTheAppLearnsTheCaller() {
        assertThat(ClientCalls.blockingUnaryCall(viaFrontend, HELLO, options(), "mesh"))
                .isEqualTo("hello mesh from " + FRONTEND);
    }

    @Test
    void bidiStreamingWorksOverMtls() throws Exception {
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(viaFrontend.newCall(CHAT, options()),
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
            assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("echo m" + i);
        }
        requests.onCompleted();
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMethodTheRulesDenyEndsWithPermissionDenied() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(viaFrontend, SECRET, options(), "x"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("RBAC: access denied");
                });
    }

    @Test
    void aGrpcClientWithItsOwnMtlsIsAuthorizedByItsIdentity() {
        ManagedChannel asFrontend = mtlsChannel("frontend");
        ManagedChannel asBilling = mtlsChannel("billing");
        try {
            assertThat(ClientCalls.blockingUnaryCall(asFrontend, HELLO, options(), "direct"))
                    .isEqualTo("hello direct from " + FRONTEND);
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(asBilling, HELLO, options(), "x"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        } finally {
            asFrontend.shutdownNow();
            asBilling.shutdownNow();
        }
    }

    @Test
    void theSidecarCallsAGrpcServerThatTakesMtlsItself() {
        ManagedChannel toVault = plaintextChannel("vault");
        try {
            assertThat(ClientCalls.blockingUnaryCall(toVault, HELLO, options(), "vault"))
                    .isEqualTo("hello vault from " + FRONTEND);
        } finally {
            toVault.shutdownNow();
        }
    }

    private static ServerServiceDefinition greeterService() {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Greeter")
                .addMethod(HELLO, ServerCalls.asyncUnaryCall((req, out) -> {
                    out.onNext("hello " + req + " from " + CALLER.get());
                    out.onCompleted();
                }))
                .addMethod(SECRET, ServerCalls.asyncUnaryCall((req, out) -> {
                    out.onNext("the secret");
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
                .build();
        return ServerInterceptors.intercept(service, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                String caller = session != null
                        ? PeerIdentity.of(session).map(Object::toString).orElse("-")
                        : headers.get(Metadata.Key.of("x-weft-peer-identity", Metadata.ASCII_STRING_MARSHALLER));
                return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
            }
        });
    }

    private static ManagedChannel plaintextChannel(String service) {
        return NettyChannelBuilder.forAddress("127.0.0.1", TestSidecar.outboundPort(frontend))
                .usePlaintext().overrideAuthority(service).build();
    }

    /** Straight to the greeter's sidecar with {@code caller}'s certificate, expecting the greeter's identity. */
    private static ManagedChannel mtlsChannel(String caller) {
        MeshTls tls = MeshIdentities.tls(caller);
        ChannelCredentials credentials = TlsChannelCredentials.newBuilder().keyManager(tls.keyManager())
                .trustManager(tls.clientTrustManager(MeshIdentities.id("greeter"))).build();
        return NettyChannelBuilder.forAddress("127.0.0.1", TestSidecar.inbound(greeter).getPort(), credentials)
                .overrideAuthority("greeter").build();
    }

    private static int port(Server server) {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Greeter", name))
                .setRequestMarshaller(Utf8Marshaller.INSTANCE).setResponseMarshaller(Utf8Marshaller.INSTANCE).build();
    }
}
