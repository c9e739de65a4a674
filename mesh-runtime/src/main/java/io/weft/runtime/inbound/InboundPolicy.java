package io.weft.runtime.inbound;

import io.weft.runtime.config.AuthorizationRule;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.config.TlsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A service's inbound rules as one snapshot compiled them: its TLS mode and its authorization rules. Deny rules
 * are checked first; then, if there are allow rules, one must match (Istio's order).
 */
public final class InboundPolicy {

    /** A workload that the config does not name: plaintext, no rules. */
    public static final InboundPolicy OPEN = new InboundPolicy(TlsConfig.Mode.DISABLE, List.of(), List.of());

    private final TlsConfig.Mode mode;
    private final List<CompiledRule> denies;
    private final List<CompiledRule> allows;

    private InboundPolicy(TlsConfig.Mode mode, List<CompiledRule> denies, List<CompiledRule> allows) {
        this.mode = mode;
        this.denies = denies;
        this.allows = allows;
    }

    public static InboundPolicy of(ServiceConfig service) {
        if (service == null) {
            return OPEN;
        }
        List<CompiledRule> denies = new ArrayList<>();
        List<CompiledRule> allows = new ArrayList<>();
        List<AuthorizationRule> rules = service.authorization();
        for (int i = 0; i < rules.size(); i++) {
            AuthorizationRule r = rules.get(i);
            if (r.allow() != null) {
                allows.add(new CompiledRule(r.name() != null ? r.name() : "authorization[" + i + "]", true, r.allow()));
            } else {
                denies.add(new CompiledRule(r.name() != null ? r.name() : "authorization[" + i + "]", false, r.deny()));
            }
        }
        return new InboundPolicy(service.policy().tls().mode(), List.copyOf(denies), List.copyOf(allows));
    }

    public TlsConfig.Mode mode() {
        return mode;
    }

    /** Whether this workload's listeners take plaintext connections at all. */
    public boolean acceptsPlaintext() {
        return mode != TlsConfig.Mode.STRICT;
    }

    /** Whether this workload's listeners take mTLS connections. */
    public boolean acceptsMtls() {
        return mode != TlsConfig.Mode.DISABLE;
    }

    public InboundDecision decide(InboundRequest request) {
        if (mode == TlsConfig.Mode.STRICT && !request.mtls()) {
            return InboundDecision.MTLS_REQUIRED;
        }
        for (CompiledRule rule : denies) {
            if (rule.matches(request)) {
                return rule.decision;
            }
        }
        if (allows.isEmpty()) {
            return InboundDecision.NO_POLICY;
        }
        for (CompiledRule rule : allows) {
            if (rule.matches(request)) {
                return rule.decision;
            }
        }
        return InboundDecision.NO_ALLOW_RULE;
    }
}
