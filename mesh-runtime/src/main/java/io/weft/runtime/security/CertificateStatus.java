package io.weft.runtime.security;

import java.time.Instant;

/**
 * What {@link WorkloadCertificates} can say about this workload's certificate, for metrics, readiness and the
 * admin port.
 *
 * @param state         {@link State#PENDING} before the first certificate, then valid or expired
 * @param id            the identity of the current certificate, or null while pending
 * @param notAfter      when the current certificate expires, or null while pending
 * @param renewedAt     when the current certificate arrived, or null while pending
 * @param nextRenewalAt when the next request is due (a renewal, or a retry after a failure), or null when closed
 * @param rotations     certificates received since start
 * @param failures      requests that failed since start
 * @param lastError     why the last request failed, or null after a success
 * @param lastErrorAt   when it failed, or null after a success
 */
public record CertificateStatus(State state, SpiffeId id, Instant notAfter, Instant renewedAt, Instant nextRenewalAt,
                                long rotations, long failures, String lastError, Instant lastErrorAt) {

    public enum State {
        /** No certificate yet: every mTLS handshake fails. */
        PENDING,
        /** A certificate is in force. */
        VALID,
        /** The certificate expired before a new one came: every mTLS handshake fails until one does. */
        EXPIRED
    }
}
