package io.weft.runtime.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One generation of a workload's TLS identity: its private key, its certificate chain (leaf first, then any
 * intermediates), and the trust bundle it was issued under. Immutable: rotation swaps in a new instance.
 *
 * @param id the SPIFFE ID in the leaf's URI SAN
 */
public record WorkloadMaterial(SpiffeId id, PrivateKey privateKey, List<X509Certificate> chain,
                               TrustBundle trustBundle) {

    public WorkloadMaterial {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(privateKey, "private key");
        Objects.requireNonNull(trustBundle, "trust bundle");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf certificate");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(notAfter());
    }

    /** The leaf's serial number in hex: names this generation in logs and key-manager aliases. */
    public String serial() {
        return leaf().getSerialNumber().toString(16);
    }

    @Override
    public String toString() {
        // Never the key.
        return "WorkloadMaterial[" + id + ", serial " + serial() + ", notAfter " + notAfter() + "]";
    }
}
