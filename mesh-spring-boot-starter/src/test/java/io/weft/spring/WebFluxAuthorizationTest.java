package io.weft.spring;

import io.weft.runtime.WeftRuntime;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.WorkloadMaterial;
import io.weft.runtime.support.Mesh;
import io.weft.spring.inbound.PeerVerifier;
import io.weft.spring.inbound.WeftAuthorizationWebFilter;
import io.weft.spring.support.MeshCerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebFlux filter on its own, with the peer's certificates as a server's {@code SslInfo} reports them: a mesh
 * peer the rules allow reaches the handler with its SPIFFE ID as an attribute; everyone else gets 403. The
 * embedded Netty server itself is not configured for mTLS by the starter (see the README).
 */
class WebFluxAuthorizationTest {

    private final WeftRuntime runtime = WeftRuntime.builder().service("orders")
            .config(Mesh.yaml("""
                    service: orders
                    endpoints: [ { address: 127.0.0.1:1 } ]
                    policy: { tls: { mode: STRICT } }
                    authorization:
                      - name: frontend-api
                        allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/api/*" ] }
                    """))
            .identity(IdentitySource.of(MeshCerts.ORDERS), null, null).build();
    private final WeftAuthorizationWebFilter filter =
            new WeftAuthorizationWebFilter(runtime.inboundAuthorizer(), new PeerVerifier(runtime.identity()));
    private final AtomicInteger handled = new AtomicInteger();

    @AfterEach
    void close() {
        runtime.close();
    }

    private MockServerWebExchange call(String path, WorkloadMaterial caller) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get(path);
        if (caller != null) {
            request.sslInfo(SslInfo.from("session", caller.chain().toArray(new X509Certificate[0])));
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        filter.filter(exchange, e -> {
            handled.incrementAndGet();
            return Mono.empty();
        }).block(Duration.ofSeconds(5));
        return exchange;
    }

    private static void assertDenied(MockServerWebExchange exchange) {
        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(403);
        assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo("RBAC: access denied\n");
    }

    @Test
    void anAllowedMeshPeerReachesTheHandlerWithItsIdentity() {
        MockServerWebExchange exchange = call("/api/items", MeshCerts.FRONTEND);
        assertThat(handled).hasValue(1);
        assertThat(exchange.getResponse().getStatusCode()).isNull();
        assertThat(exchange.<Object>getAttribute(PeerVerifier.PEER_IDENTITY_ATTRIBUTE)).isEqualTo(MeshCerts.FRONTEND.id());
    }

    @Test
    void otherCallersGet403() {
        assertDenied(call("/api/items", MeshCerts.BILLING));
        assertDenied(call("/admin", MeshCerts.FRONTEND));
        // Decoded as handlers match it: /%61dmin is /admin.
        assertDenied(call("/%61dmin", MeshCerts.FRONTEND));
        // STRICT: no certificate is plaintext, and a certificate the mesh's CA did not issue counts as none.
        assertDenied(call("/api/items", null));
        assertDenied(call("/api/items", MeshCerts.foreignFrontend()));
        assertThat(handled).hasValue(0);
    }
}
