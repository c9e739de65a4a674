package io.weft.sidecar.proxy;

/** What an exchange answers with: an upstream's response (head received, body still to relay) or the mesh's own. */
public sealed interface ProxyResponse {

    int status();

    /** An upstream answered; its body is relayed only if the engine keeps this answer. */
    record Upstream(UpstreamAttempt attempt) implements ProxyResponse {
        @Override
        public int status() {
            return attempt.head().status().code();
        }
    }

    /**
     * A reply the sidecar makes itself.
     *
     * @param reason short token for the {@code x-weft-local-reply} header
     */
    record Local(int status, String reason, String message) implements ProxyResponse {
    }
}
