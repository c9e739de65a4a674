package io.weft.runtime.adapter.grpc;

import io.grpc.CallOptions;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.api.MeshResponse;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.TestCa;
import io.weft.runtime.security.WorkloadIdentity;
import io.weft.runtime.security.WorkloadMaterial;
import io.weft.runtime.support.Mesh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * gRPC over real mTLS on 127.0.0.1: a meshed channel presents the caller's workload certificate and checks the
 * server's SPIFFE ID; the server ({@link MeshGrpcServer}) requires a mesh certificate, authorizes each method by
 * the caller's identity and hands that identity to the service.
 */
@Timeout(60)
class GrpcMtlsTest {

    private static final TestCa CA = new TestCa("mesh");
    private static final WorkloadMaterial ORDERS = CA.issue(SpiffeId.forWorkload("weft.local", "default", "orders"));
    private static final WorkloadMaterial FRONTEND = CA.issue(SpiffeId.forWorkload("weft.local", "default", "frontend"));
    private static final WorkloadMaterial BILLING = CA.issue(SpiffeId.forWorkload("weft.local", "default", "billing"));
    private static final String FRONTEND_RULE = """
            authorization:
              - name: frontend-echo
                allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/test.Echo/Say", "/test.Echo/Stream" ] }
            """;
    private static final Function<WorkloadIdentity, ServerCredentials> MESH_TLS = MeshGrpcServer::credentials;
    private static final Function<WorkloadIdentity, ServerCredentials> PLAINTEXT = id -> InsecureServerCredentials.create();
    private static final Metadata.Key<String> LOCAL_REPLY =
            Metadata.Key.of(MeshResponse.LOCAL_REPLY_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final AtomicInteger handled = new AtomicInteger();
    private final SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Server server;

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** Service {@code orders} in the given TLS mode, with {@code extra} YAML (rules) and, for callers, its endpoint. */
    private String config(String mode, String extra, boolean withEndpoint) {
        return "service: orders\n"
                + (withEndpoint ? "endpoints: [ { address: 127.0.0.1:" + server.getPort() + " } ]\n" : "")
                + "policy: { tls: { mode: " + mode + " }, outlierDetection: { consecutiveErrors: 1000 } }\n"
                + extra;
    }

    /** The orders workload: {@code test.Echo} answering with the caller's identity, behind its service's rules. */
    private void startServer(WorkloadMaterial identity, String mode, String rules,
                             Function<WorkloadIdentity, ServerCredentials> credentials) throws IOException {
        WeftRuntime runtime = WeftRuntime.builder().service("orders").config(Mesh.yaml(config(mode, rules, false)))
                .identity(IdentitySource.of(identity), null, null).meterRegistry(serverMeters).build();
        closing.add(runtime);
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        server = NettyServerBuilder.forAddress(loopback, credentials.apply(runtime.identity()))
                .addService(ServerInterceptors.intercept(echo(), MeshGrpcServer.authorization(runtime)))
                .build().start();
        closing.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    }

    private ServerServiceDefinition echo() {
        return ServerServiceDefinition.builder(EchoService.NAME)
                .addMethod(EchoService.SAY, ServerCalls.asyncUnaryCall(this::say))
                .addMethod(EchoService.STREAM, ServerCalls.asyncServerStreamingCall(this::stream))
                .addMethod(EchoService.COLLECT, ServerCalls.asyncClientStreamingCall(out -> {
                    handled.incrementAndGet();
                    throw new AssertionError("never authorized");
                }))
                .build();
    }

    /** Answers with the caller's identity as the service reads it. */
    private void say(String request, StreamObserver<String> out) {
        handled.incrementAndGet();
        out.onNext(MeshGrpcServer.PEER_IDENTITY.get() + " says " + request);
        out.onCompleted();
    }

    private void stream(String request, StreamObserver<String> out) {
        handled.incrementAndGet();
        for (int i = 0; i < Integer.parseInt(request); i++) {
            out.onNext(MeshGrpcServer.PEER_IDENTITY.get() + ":" + i);
        }
        out.onCompleted();
    }

    /** A caller of orders with this identity (none when null); its config says orders is in {@code mode}. */
    private WeftRuntime caller(WorkloadMaterial identity, String mode) {
        WeftRuntime.Builder b = WeftRuntime.builder().config(Mesh.yaml(config(mode, "", true)));
        if (identity != null) {
            b.identity(IdentitySource.of(identity), null, null);
        }
        WeftRuntime runtime = b.build();
        closing.add(runtime);
        return runtime;
    }

    private ManagedChannel channel(WeftRuntime runtime) {
        ManagedChannel channel = MeshGrpc.channel(runtime, "orders");
        closing.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    private static String say(io.grpc.Channel channel, String request) {
        return ClientCalls.blockingUnaryCall(channel, EchoService.SAY,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    }

    private static Status failure(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus();
    }

    private double tlsRefused(String reason) {
        return serverMeters.get("weft.inbound.tls.refused").tag("reason", reason).functionCounter().count();
    }

    private double authz(String reason) {
        return serverMeters.get("weft.inbound.authz").tag("reason", reason).counter().count();
    }

    @Test
    void aUnaryCallGoesOverMtlsAndTheServiceSeesTheCallersIdentity() throws Exception {
        startServer(ORDERS, "STRICT", FRONTEND_RULE, MESH_TLS);
        ManagedChannel channel = channel(caller(FRONTEND, "STRICT"));

        // The certificate names a workload (a URI SAN), not 127.0.0.1 or "orders": no host name check refuses it.
        assertThat(say(channel, "hi")).isEqualTo("spiffe://weft.local/ns/default/sa/frontend says hi");
        assertThat(handled).hasValue(1);
        assertThat(authz("allowed-by-rule")).isEqualTo(1);
    }

    @Test
    void aServerStreamGoesOverMtls() throws Exception {
        startServer(ORDERS, "STRICT", FRONTEND_RULE, MESH_TLS);
        ManagedChannel channel = channel(caller(FRONTEND, "STRICT"));

        List<String> got = new ArrayList<>();
        ClientCalls.blockingServerStreamingCall(channel, EchoService.STREAM,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "3").forEachRemaining(got::add);

        String peer = "spiffe://weft.local/ns/default/sa/frontend";
        assertThat(got).containsExactly(peer + ":0", peer + ":1", peer + ":2");
    }

    @Test
    void aCallerTheRulesDoNotAllowGetsPermissionDenied() throws Exception {
        startServer(ORDERS, "STRICT", FRONTEND_RULE, MESH_TLS);

        Status billing = failure(() -> say(channel(caller(BILLING, "STRICT")), "hi"));
        assertThat(billing.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(billing.getDescription()).isEqualTo("RBAC: access denied");

        // The right caller, a method the rule does not name.
        ManagedChannel frontend = channel(caller(FRONTEND, "STRICT"));
        GrpcMeshTestBase.Collector collector = new GrpcMeshTestBase.Collector();
        StreamObserver<String> out = ClientCalls.asyncClientStreamingCall(frontend.newCall(EchoService.COLLECT,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)), collector);
        out.onNext("a");
        out.onCompleted();
        assertThatThrownBy(() -> collector.done.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("PERMISSION_DENIED");

        assertThat(handled).hasValue(0);
        assertThat(authz("no-allow-rule")).isEqualTo(2);
    }

    @Test
    void aServerWithAnotherIdentityIsRefusedByTheChannel() throws Exception {
        startServer(CA.issue(SpiffeId.forWorkload("weft.local", "default", "payments")), "STRICT", "", MESH_TLS);

        Status status = failure(() -> say(channel(caller(FRONTEND, "STRICT")), "hi"));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        // The handshake happened (no plaintext was sent) and the channel refused the server's certificate.
        assertThat(causes(status)).contains("peer is spiffe://weft.local/ns/default/sa/payments, expected "
                + "spiffe://weft.local/ns/default/sa/orders");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aCallerCertificateFromAnotherCaIsRefusedByTheServer() throws Exception {
        startServer(ORDERS, "STRICT", "", MESH_TLS);

        Status status = failure(() -> say(channel(caller(foreignFrontend(), "STRICT")), "hi"));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(handled).hasValue(0);
        // At least one: the channel may try again on its own before it is closed.
        assertThat(tlsRefused("untrusted-ca")).isPositive();
    }

    @Test
    void aClientCertificateTheMeshDoesNotTrustMakesNoPeerWhateverTheServersOwnTls() throws Exception {
        // The app's own TLS takes any client certificate: the interceptor still checks it against the mesh's CA.
        startServer(ORDERS, "STRICT", FRONTEND_RULE, identity -> TlsServerCredentials.newBuilder()
                .keyManager(identity.tls().keyManager())
                .trustManager(InsecureTrustManagerFactory.INSTANCE.getTrustManagers())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build());

        Status status = failure(() -> say(channel(caller(foreignFrontend(), "STRICT")), "hi"));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(handled).hasValue(0);
        // The app's TLS took the handshake; the interceptor's check refuses the caller but no handshake.
        assertThat(tlsRefused("untrusted-ca")).isZero();
        assertThat(say(channel(caller(FRONTEND, "STRICT")), "hi")).isEqualTo(
                "spiffe://weft.local/ns/default/sa/frontend says hi");
    }

    @Test
    void withoutAnIdentityAChannelToAnMtlsServiceIsNotBuilt() throws Exception {
        startServer(ORDERS, "STRICT", "", MESH_TLS);
        WeftRuntime runtime = caller(null, "STRICT");

        assertThatThrownBy(() -> MeshGrpc.channel(runtime, "orders"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("orders takes mTLS (policy.tls.mode STRICT)")
                .hasMessageContaining("no mesh identity")
                .hasMessageContaining("never falls back to plaintext");
        assertThatThrownBy(() -> MeshGrpc.channel(runtime.engine(), "orders"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPlaintextChannelDoesNotSendCallsToAServiceThatTookMtlsSince() throws Exception {
        startServer(ORDERS, "PERMISSIVE", "", MESH_TLS);
        WeftRuntime runtime = caller(FRONTEND, "DISABLE");
        ManagedChannel plaintext = channel(runtime);
        runtime.apply(Mesh.yaml(config("PERMISSIVE", "", true)));

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> say(plaintext, "hi"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).contains("built plaintext").contains("never falls back to plaintext");
        assertThat(e.getTrailers().get(LOCAL_REPLY)).isEqualTo("mtls-unavailable");
        assertThat(handled).hasValue(0);
        // A channel built now is mTLS.
        assertThat(say(channel(runtime), "hi")).isEqualTo("spiffe://weft.local/ns/default/sa/frontend says hi");
    }

    @Test
    void aPlaintextCallToAStrictServiceIsUnauthenticated() throws Exception {
        startServer(ORDERS, "STRICT", "", PLAINTEXT);

        Status status = failure(() -> say(direct(), "hi"));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(handled).hasValue(0);
        // The app's TLS took the handshake; the interceptor's check refuses the caller but no handshake.
        assertThat(tlsRefused("untrusted-ca")).isZero();
        assertThat(authz("mtls-required")).isEqualTo(1);
    }

    @Test
    void aPermissiveServiceTakesPlaintextOnItsPlaintextPort() throws Exception {
        startServer(ORDERS, "PERMISSIVE", "", PLAINTEXT);

        assertThat(say(direct(), "hi")).isEqualTo("null says hi");
    }

    /**
     * "frontend" with a certificate from another CA; it trusts ours too, so that only the server's check of the
     * client certificate is in the way.
     */
    private static WorkloadMaterial foreignFrontend() {
        WorkloadMaterial foreign = new TestCa("elsewhere").issue(FRONTEND.id());
        return new WorkloadMaterial(foreign.id(), foreign.privateKey(), foreign.chain(), CA.bundle());
    }

    /** A plain grpc-java channel straight to the server's port, in plaintext. */
    private ManagedChannel direct() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        closing.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    /** The status's description and its causes' messages, for what the handshake said. */
    private static String causes(Status status) {
        StringBuilder sb = new StringBuilder(String.valueOf(status.getDescription()));
        for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
            sb.append(" / ").append(t);
        }
        return sb.toString();
    }
}
