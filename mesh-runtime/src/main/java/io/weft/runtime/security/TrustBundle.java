package io.weft.runtime.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA certificates a trust domain's certificates chain to: the control plane's root, plus its intermediate when
 * the root is the user's own. Immutable; equal when the certificates are.
 */
public final class TrustBundle {

    private final List<X509Certificate> certificates;
    private final Set<TrustAnchor> anchors;

    private TrustBundle(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a trust bundle needs at least one CA certificate");
        }
        for (X509Certificate c : certificates) {
            if (c.getBasicConstraints() < 0) {
                throw new IllegalArgumentException("trust bundle certificate " + c.getSubjectX500Principal()
                        + " is not a CA certificate");
            }
        }
        this.certificates = List.copyOf(certificates);
        Set<TrustAnchor> set = new LinkedHashSet<>();
        certificates.forEach(c -> set.add(new TrustAnchor(c, null)));
        this.anchors = Set.copyOf(set);
    }

    public static TrustBundle of(List<X509Certificate> certificates) {
        return new TrustBundle(certificates);
    }

    /** @throws IllegalArgumentException if the text holds no certificate, or one that is not a CA */
    public static TrustBundle fromPem(String pem) {
        return new TrustBundle(Pem.certificates(pem));
    }

    /** Reads a PEM file of CA certificates, such as the one {@code GET /v1/trust-bundle} serves. */
    public static TrustBundle read(Path file) {
        try {
            return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trust bundle " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trust bundle " + file + ": " + e.getMessage(), e);
        }
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** The certificates as PKIX trust anchors. */
    public Set<TrustAnchor> anchors() {
        return anchors;
    }

    public boolean contains(X509Certificate certificate) {
        return certificates.contains(certificate);
    }

    public String pem() {
        return Pem.encode(certificates);
    }

    /**
     * A client context for ordinary HTTPS to a server whose certificate chains to this bundle, with the
     * client's usual host name checks (the control plane's API, not mesh traffic: see {@link MeshTls}).
     */
    public SSLContext httpsClientContext() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context from the trust bundle", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustBundle other && certificates.equals(other.certificates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificates);
    }

    @Override
    public String toString() {
        return "TrustBundle" + certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }
}
