package io.weft.runtime.security;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.runtime.telemetry.LogRateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXReason;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Inbound TLS handshakes this workload refused for the client's certificate, by reason, counted where the mesh's
 * server trust manager ({@link MeshTls#serverTrustManager()}, also inside {@link MeshTls#serverContext()}) says no,
 * so that every server on it counts alike: JDK {@code HttpsServer}, {@code MeshGrpcServer}, the sidecar's
 * inbound listener, Tomcat through the starter. Meter {@code weft.inbound.tls.refused{service,reason}}; each
 * refusal is logged at most {@value #LOG_LINES_PER_SECOND} lines a second.
 *
 * <p>Not counted: a client that sends no certificate at all. The JDK's TLS refuses an empty client chain itself
 * when a certificate is required ({@code Empty client certificate chain}) and never asks the trust manager; the
 * same goes for bytes that are not TLS (a plaintext request to an mTLS port). Those show only as failed handshakes
 * in each server's own way.
 */
public final class InboundTlsRefusals {

    /** Why the client's certificate was refused, as the {@code reason} tag says it. */
    public enum Reason {
        /** Not issued by a CA of this workload's trust bundle: another CA, another mesh. */
        UNTRUSTED_CA,
        EXPIRED,
        NOT_YET_VALID,
        /** Issued by a trusted CA but no workload identity of this trust domain: no or several SPIFFE IDs, another
         * trust domain, a CA certificate, not for client authentication. */
        NOT_A_MESH_IDENTITY,
        /** Anything else: an unreadable chain, an unusable trust bundle, another path validation failure. */
        OTHER;

        private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

        public String tag() {
            return tag;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(InboundTlsRefusals.class);
    static final int LOG_LINES_PER_SECOND = 10;

    private final AtomicLongArray counts = new AtomicLongArray(Reason.values().length);
    private final LogRateLimit lines = LogRateLimit.perSecond(LOG_LINES_PER_SECOND);

    /** Counts and logs one refused client certificate. */
    void refused(CertificateException refusal, String peer) {
        Reason reason = reasonOf(refusal);
        counts.incrementAndGet(reason.ordinal());
        long left = lines.admit();
        if (left >= 0) {
            log.warn("inbound TLS handshake refused{} ({}): {}{}", peer == null ? "" : " from " + peer, reason.tag(),
                    refusal.getMessage(), LogRateLimit.leftOut(left, "refusals"));
        }
    }

    public long count(Reason reason) {
        return counts.get(reason.ordinal());
    }

    /** Registers {@code weft.inbound.tls.refused}, one counter per reason, tagged with this workload's service. */
    public void bindTo(MeterRegistry registry, String service) {
        for (Reason reason : Reason.values()) {
            FunctionCounter.builder("weft.inbound.tls.refused", this, r -> r.count(reason))
                    .description("Inbound TLS handshakes refused for the client's certificate, by reason")
                    .tag("service", service)
                    .tag("reason", reason.tag())
                    .register(registry);
        }
    }

    /**
     * From the refusal's causes: a failed PKIX validation says which check failed; a refusal without one failed
     * the identity checks that come first ({@link SvidVerifier}, {@link SpiffeTrustManager}). A server without a
     * trust bundle has no certificate to present either, so its handshakes end before a client certificate is checked.
     */
    static Reason reasonOf(CertificateException refusal) {
        for (Throwable cause = refusal.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathValidatorException invalid) {
                return reasonOf(invalid.getReason());
            }
            if (cause instanceof GeneralSecurityException && !(cause instanceof CertificateParsingException)) {
                return Reason.OTHER;
            }
        }
        return Reason.NOT_A_MESH_IDENTITY;
    }

    private static Reason reasonOf(CertPathValidatorException.Reason reason) {
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return Reason.EXPIRED;
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return Reason.NOT_YET_VALID;
        }
        // A CA of the same name but another key fails on the signature rather than on the anchor.
        if (reason == PKIXReason.NO_TRUST_ANCHOR
                || reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            return Reason.UNTRUSTED_CA;
        }
        return Reason.OTHER;
    }
}
