package io.weft.runtime.engine;

/**
 * An answer the mesh gives itself instead of an endpoint's.
 *
 * @param reason short token for the {@code x-weft-local-reply} header and metrics
 * @param message readable body text
 */
public record LocalReply(int status, String reason, String message) {

    public static LocalReply rateLimited(String service, String route) {
        return new LocalReply(429, "rate-limited", "weft: local rate limit of route '" + route + "' of " + service + " exceeded");
    }

    public static LocalReply faultAbort(int status, String service, String route) {
        return new LocalReply(status, "fault-abort", "weft: fault injected by route '" + route + "' of " + service);
    }

    public static LocalReply noHealthyUpstream(String service, String subset) {
        return new LocalReply(503, "no-healthy-upstream", "weft: no healthy endpoint of " + service
                + (subset.isEmpty() ? "" : " subset " + subset));
    }

    public static LocalReply overflow(String service, int max) {
        return new LocalReply(503, "overflow", "weft: " + service + " already has " + max + " requests in flight from this process");
    }

    /** Fails closed: the destination takes mTLS and this workload cannot present a certificate now. */
    public static LocalReply mtlsUnavailable(String service, String why) {
        return new LocalReply(503, "mtls-unavailable", "weft: calls to " + service + " use mTLS (its policy.tls.mode) and "
                + why + "; the call was not sent: Weft never falls back to plaintext");
    }
}
