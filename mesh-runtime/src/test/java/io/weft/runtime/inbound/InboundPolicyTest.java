package io.weft.runtime.inbound;

import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.config.TlsConfig;
import io.weft.runtime.security.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service's TLS mode and authorization rules as written in YAML, and what they decide. */
class InboundPolicyTest {

    private static final SpiffeId FRONTEND = SpiffeId.parse("spiffe://weft.local/ns/default/sa/frontend");
    private static final SpiffeId BILLING = SpiffeId.parse("spiffe://weft.local/ns/default/sa/billing");
    private static final SpiffeId OTHER_NS = SpiffeId.parse("spiffe://weft.local/ns/batch/sa/reports");

    private final ConfigLoader loader = new ConfigLoader();

    private InboundPolicy policy(String yaml) {
        MeshConfig config = loader.parse("orders.yaml", yaml);
        return InboundPolicy.of(config.service("orders").orElseThrow());
    }

    @Test
    void withoutRulesEveryCallerTheModeLetsInIsAllowed() {
        InboundPolicy p = policy("service: orders\n");
        assertThat(p.mode()).isEqualTo(TlsConfig.Mode.DISABLE);
        assertThat(p.acceptsPlaintext()).isTrue();
        assertThat(p.acceptsMtls()).isFalse();
        assertThat(p.decide(InboundRequest.plaintext("GET", "/")).reason()).isEqualTo(InboundDecision.Reason.NO_POLICY);
    }

    @Test
    void strictRefusesPlaintextAndPermissiveTakesBoth() {
        InboundPolicy strict = policy("service: orders\npolicy: { tls: { mode: STRICT } }\n");
        assertThat(strict.acceptsPlaintext()).isFalse();
        assertThat(strict.decide(InboundRequest.plaintext("GET", "/")).reason())
                .isEqualTo(InboundDecision.Reason.MTLS_REQUIRED);
        assertThat(strict.decide(InboundRequest.mtls(FRONTEND, "GET", "/")).allowed()).isTrue();

        InboundPolicy permissive = policy("service: orders\npolicy: { tls: { mode: PERMISSIVE } }\n");
        assertThat(permissive.acceptsPlaintext()).isTrue();
        assertThat(permissive.acceptsMtls()).isTrue();
        assertThat(permissive.decide(InboundRequest.plaintext("GET", "/")).allowed()).isTrue();
        assertThat(permissive.decide(InboundRequest.mtls(FRONTEND, "GET", "/")).allowed()).isTrue();
    }

    @Test
    void allowRulesDenyWhatNoneMatchesAndDenyRulesComeFirst() {
        InboundPolicy p = policy("""
                service: orders
                policy: { tls: { mode: STRICT } }
                authorization:
                  - name: no-admin
                    deny: { paths: [ "/admin/*" ] }
                  - name: frontend-reads
                    allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/api/*" ], methods: [ GET ] }
                  - name: batch-namespace
                    allow: { from: [ "spiffe://weft.local/ns/batch/*" ], paths: [ "/reports" ] }
                  - allow: { from: [ "*" ], paths: [ "/health" ] }
                """);
        assertThat(p.decide(InboundRequest.mtls(FRONTEND, "GET", "/api/items")))
                .isEqualTo(new InboundDecision(InboundDecision.Reason.ALLOWED_BY_RULE, "frontend-reads"));
        assertThat(p.decide(InboundRequest.mtls(FRONTEND, "POST", "/api/items")).reason())
                .isEqualTo(InboundDecision.Reason.NO_ALLOW_RULE);
        assertThat(p.decide(InboundRequest.mtls(BILLING, "GET", "/api/items")).reason())
                .isEqualTo(InboundDecision.Reason.NO_ALLOW_RULE);
        assertThat(p.decide(InboundRequest.mtls(FRONTEND, "GET", "/admin/users")))
                .isEqualTo(new InboundDecision(InboundDecision.Reason.DENIED_BY_RULE, "no-admin"));
        assertThat(p.decide(InboundRequest.mtls(OTHER_NS, "POST", "/reports")).rule()).isEqualTo("batch-namespace");
        assertThat(p.decide(InboundRequest.mtls(OTHER_NS, "POST", "/reports/x")).allowed()).isFalse();
        assertThat(p.decide(InboundRequest.mtls(BILLING, "GET", "/health")).rule()).isEqualTo("authorization[3]");
        // "*" means any mesh identity: a TLS caller without one does not match.
        assertThat(p.decide(new InboundRequest(null, true, "GET", "/health")).allowed()).isFalse();
    }

    @Test
    void aRuleWithoutFromMatchesPlaintextCallersOfAPermissiveService() {
        InboundPolicy p = policy("""
                service: orders
                policy: { tls: { mode: PERMISSIVE } }
                authorization:
                  - allow: { paths: [ "/public/*" ] }
                  - allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ] }
                """);
        assertThat(p.decide(InboundRequest.plaintext("GET", "/public/a")).allowed()).isTrue();
        assertThat(p.decide(InboundRequest.plaintext("GET", "/private")).allowed()).isFalse();
        assertThat(p.decide(InboundRequest.mtls(FRONTEND, "DELETE", "/private")).allowed()).isTrue();
    }

    @Test
    void grpcMethodsArePaths() {
        InboundPolicy p = policy("""
                service: orders
                authorization:
                  - allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/orders.Orders/Get" ] }
                  - allow: { from: [ "spiffe://weft.local/ns/default/sa/billing" ], paths: [ "/orders.Orders/*" ] }
                """);
        assertThat(p.decide(InboundRequest.mtls(FRONTEND, "POST", "/orders.Orders/Get")).allowed()).isTrue();
        assertThat(p.decide(InboundRequest.mtls(FRONTEND, "POST", "/orders.Orders/Cancel")).allowed()).isFalse();
        assertThat(p.decide(InboundRequest.mtls(BILLING, "POST", "/orders.Orders/Cancel")).allowed()).isTrue();
    }

    @Test
    void badRulesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> loader.parse("orders.yaml", """
                service: orders
                policy: { tls: { mode: STRICTLY } }
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("STRICTLY");
        assertThatThrownBy(() -> loader.parse("orders.yaml", """
                service: orders
                authorization:
                  - allow: { paths: [ "/a" ] }
                    deny: { paths: [ "/b" ] }
                  - name: empty
                  - allow: { from: [ "frontend" ], paths: [ "api/*", "/a*b" ], methods: [ get ] }
                  - deny: { from: [ "spiffe://weft.local/ns/*/sa/x" ] }
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("authorization[0]: needs exactly one of allow or deny")
                .hasMessageContaining("authorization[1]: needs exactly one of allow or deny")
                .hasMessageContaining("authorization[2].allow.from: 'frontend' is not a SPIFFE ID")
                .hasMessageContaining("authorization[2].allow.paths: 'api/*' is not a path")
                .hasMessageContaining("'/a*b' is not a path")
                .hasMessageContaining("authorization[2].allow.methods: 'get'")
                .hasMessageContaining("authorization[3].deny.from");
    }
}
