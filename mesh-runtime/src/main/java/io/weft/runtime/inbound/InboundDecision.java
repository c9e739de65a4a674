package io.weft.runtime.inbound;

/**
 * What authorization decided for one inbound request.
 *
 * @param rule the name of the rule that decided, or null when no rule did
 */
public record InboundDecision(Reason reason, String rule) {

    /** Why; its {@link #tag()} is the {@code reason} of the {@code weft.inbound.authz} meter. */
    public enum Reason {
        /** The service has no authorization rules: anyone its TLS mode lets in may call. */
        NO_POLICY(true),
        /** An allow rule matched, and no deny rule did. */
        ALLOWED_BY_RULE(true),
        /** A deny rule matched. */
        DENIED_BY_RULE(false),
        /** The service has allow rules and none matched: default deny. */
        NO_ALLOW_RULE(false),
        /** The service is STRICT and the request came in plaintext (a listener that also takes plaintext). */
        MTLS_REQUIRED(false);

        private final boolean allowed;
        private final String tag;

        Reason(boolean allowed) {
            this.allowed = allowed;
            this.tag = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public String tag() {
            return tag;
        }

        public boolean allowed() {
            return allowed;
        }
    }

    static final InboundDecision NO_POLICY = new InboundDecision(Reason.NO_POLICY, null);
    static final InboundDecision NO_ALLOW_RULE = new InboundDecision(Reason.NO_ALLOW_RULE, null);
    static final InboundDecision MTLS_REQUIRED = new InboundDecision(Reason.MTLS_REQUIRED, null);

    public boolean allowed() {
        return reason.allowed();
    }

    /** The HTTP status a denied request gets: 403 (Envoy's RBAC filter answers the same). */
    public static final int DENIED_STATUS = 403;

    /** The body a denied caller reads; the reason stays in this workload's log, as with Envoy. */
    public static final String DENIED_BODY = "RBAC: access denied\n";

    /** The reason in words, for the log. */
    public String describe() {
        return switch (reason) {
            case NO_POLICY -> "allowed: no authorization rules";
            case ALLOWED_BY_RULE -> "allowed by rule " + rule;
            case DENIED_BY_RULE -> "denied by rule " + rule;
            case NO_ALLOW_RULE -> "denied: no allow rule matched (default deny)";
            case MTLS_REQUIRED -> "denied: the service is STRICT and the call is not mTLS";
        };
    }
}
