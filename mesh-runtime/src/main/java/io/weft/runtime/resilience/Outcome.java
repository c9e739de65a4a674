package io.weft.runtime.resilience;

/** What one attempt came to, as the policies see it. */
public record Outcome(Kind kind, int status) {

    public enum Kind {
        /** An answer came back with {@link #status()}. */
        RESPONSE,
        /** No connection could be made: the request never left. */
        CONNECT_FAILURE,
        /** No answer in time; the request may have been processed. */
        TIMEOUT,
        /** The connection failed after the request may have been sent. */
        RESET,
        /**
         * The caller gave up on the call (cancelled it, or its connection to a sidecar went away): the attempt was
         * dropped, which says nothing about the endpoint, so no breaker, outlier count or retry hears of it.
         */
        CANCELLED
    }

    private static final Outcome[] RESPONSES = new Outcome[600];

    static {
        for (int i = 0; i < RESPONSES.length; i++) {
            RESPONSES[i] = new Outcome(Kind.RESPONSE, i);
        }
    }

    public static final Outcome CONNECT_FAILED = new Outcome(Kind.CONNECT_FAILURE, 0);
    public static final Outcome TIMED_OUT = new Outcome(Kind.TIMEOUT, 0);
    public static final Outcome RESET_AFTER_SEND = new Outcome(Kind.RESET, 0);
    public static final Outcome CANCELLED = new Outcome(Kind.CANCELLED, 0);

    /** The shared instance for a status, so recording an answer allocates nothing. */
    public static Outcome response(int status) {
        return status >= 0 && status < RESPONSES.length ? RESPONSES[status] : new Outcome(Kind.RESPONSE, status);
    }

    /** True unless the request certainly never reached the endpoint. */
    public boolean maybeSent() {
        return kind != Kind.CONNECT_FAILURE;
    }

    /**
     * An endpoint failure for breakers and outlier detection: 5xx, or no answer at all. 4xx are the caller's, and so
     * is a cancellation (which is recorded nowhere, see {@link Kind#CANCELLED}).
     */
    public boolean isEndpointFailure() {
        return kind == Kind.RESPONSE ? status >= 500 : kind != Kind.CANCELLED;
    }

    @Override
    public String toString() {
        return kind == Kind.RESPONSE ? Integer.toString(status) : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
