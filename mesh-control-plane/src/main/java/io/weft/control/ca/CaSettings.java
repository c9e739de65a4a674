package io.weft.control.ca;

import io.weft.runtime.security.SpiffeId;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the control plane's certificate authority is set up.
 *
 * @param dir            where the CA's certificate and key live; created at first start, reused after. Null when
 *                       they live in a shared store (etcd) instead
 * @param rootCert       the user's own root certificate (PEM), or null to make a root of our own in {@code dir}
 * @param rootKey        its private key (PEM, unencrypted); needed when the intermediate is made (first start,
 *                       or when it nears its end); required with {@code rootCert}
 * @param trustDomain    of every SPIFFE ID issued, {@code weft.local} by default
 * @param namespace      of every SPIFFE ID issued, {@code default} by default
 * @param certificateTtl lifetime of workload certificates, 24 h by default; at least one second
 */
public record CaSettings(Path dir, Path rootCert, Path rootKey, String trustDomain, String namespace,
                         Duration certificateTtl) {

    public static final Duration DEFAULT_CERTIFICATE_TTL = Duration.ofHours(24);

    public CaSettings {
        if ((rootCert == null) != (rootKey == null)) {
            throw new IllegalArgumentException("a user-supplied CA root needs both its certificate and its key");
        }
        trustDomain = trustDomain == null ? SpiffeId.DEFAULT_TRUST_DOMAIN : trustDomain;
        namespace = namespace == null ? SpiffeId.DEFAULT_NAMESPACE : namespace;
        certificateTtl = certificateTtl == null ? DEFAULT_CERTIFICATE_TTL : certificateTtl;
        if (certificateTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("certificate lifetime must be at least 1s, not " + certificateTtl);
        }
        try {
            SpiffeId.forWorkload(trustDomain, namespace, "check");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trust domain '" + trustDomain + "' or namespace '" + namespace
                    + "' cannot make a SPIFFE ID: " + e.getMessage(), e);
        }
    }

    /** A CA of its own in {@code dir}, with the default trust domain, namespace and lifetime. */
    public static CaSettings in(Path dir) {
        return new CaSettings(dir, null, null, null, null, null);
    }
}
