package io.weft.runtime.inbound;

import io.weft.runtime.config.AuthorizationMatch;
import io.weft.runtime.security.SpiffeId;

import java.util.List;

/** One authorization rule, its patterns split once into exact values and prefixes. */
final class CompiledRule {

    final String name;
    final boolean allow;
    /** What this rule decides when it matches; made once. */
    final InboundDecision decision;
    private final Patterns from;
    private final Patterns paths;
    private final List<String> methods;

    CompiledRule(String name, boolean allow, AuthorizationMatch match) {
        this.name = name;
        this.allow = allow;
        this.decision = new InboundDecision(allow ? InboundDecision.Reason.ALLOWED_BY_RULE
                : InboundDecision.Reason.DENIED_BY_RULE, name);
        this.from = Patterns.of(match.from());
        this.paths = Patterns.of(match.paths());
        this.methods = match.methods();
    }

    boolean matches(InboundRequest request) {
        if (from != null) {
            SpiffeId peer = request.peer();
            if (peer == null || !from.matches(peer.toString())) {
                return false;
            }
        }
        if (paths != null && !paths.matches(request.path())) {
            return false;
        }
        return methods.isEmpty() || methods.contains(request.method());
    }

    /** Exact values, prefixes (written with a trailing {@code *}) and the wildcard {@code *}; null matches all. */
    private record Patterns(boolean any, List<String> exact, List<String> prefixes) {

        static Patterns of(List<String> patterns) {
            if (patterns.isEmpty()) {
                return null;
            }
            boolean any = patterns.contains("*");
            List<String> exact = patterns.stream().filter(p -> !p.endsWith("*")).toList();
            List<String> prefixes = patterns.stream().filter(p -> p.endsWith("*") && p.length() > 1)
                    .map(p -> p.substring(0, p.length() - 1)).toList();
            return new Patterns(any, exact, prefixes);
        }

        boolean matches(String value) {
            if (any) {
                return true;
            }
            if (value == null) {
                return false;
            }
            if (exact.contains(value)) {
                return true;
            }
            for (String prefix : prefixes) {
                if (value.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }
}
