package io.weft.runtime.security;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * Checks an X.509 SVID: a chain that PKIX-validates to a trust bundle (no host names involved), a leaf that is
 * not a CA, may be used for the purpose at hand, and carries exactly one SPIFFE ID as its URI SAN.
 */
public final class SvidVerifier {

    /** What the peer's certificate is used for, as checked against its extended key usage. */
    public enum Purpose {
        SERVER_AUTH("1.3.6.1.5.5.7.3.1", "a TLS server"),
        CLIENT_AUTH("1.3.6.1.5.5.7.3.2", "a TLS client");

        private final String oid;
        private final String role;

        Purpose(String oid, String role) {
            this.oid = oid;
            this.role = role;
        }
    }

    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int SAN_URI = 6;

    private SvidVerifier() {
    }

    /**
     * The SPIFFE ID of a certificate: its one URI SAN, which must be a valid SPIFFE ID.
     *
     * @throws CertificateException if there is none, more than one, or it is not a valid SPIFFE ID
     */
    public static SpiffeId idOf(X509Certificate certificate) throws CertificateException {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable subject alternative names: " + e.getMessage(), e);
        }
        List<String> uris = new ArrayList<>();
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() >= 2 && Integer.valueOf(SAN_URI).equals(name.get(0))) {
                    uris.add(String.valueOf(name.get(1)));
                }
            }
        }
        if (uris.isEmpty()) {
            throw new CertificateException("certificate " + certificate.getSubjectX500Principal()
                    + " has no SPIFFE ID (no URI subject alternative name)");
        }
        if (uris.size() > 1) {
            throw new CertificateException("certificate has " + uris.size() + " URI SANs " + uris
                    + "; an X.509 SVID has exactly one");
        }
        try {
            return SpiffeId.parse(uris.get(0));
        } catch (IllegalArgumentException e) {
            throw new CertificateException("certificate URI SAN is not a SPIFFE ID: " + e.getMessage(), e);
        }
    }

    /**
     * Validates {@code chain} (leaf first) against {@code bundle} at {@code now} and returns the leaf's SPIFFE ID.
     *
     * @throws CertificateException saying which check failed
     */
    public static SpiffeId verify(List<X509Certificate> chain, TrustBundle bundle, Purpose purpose, Instant now)
            throws CertificateException {
        if (chain == null || chain.isEmpty()) {
            throw new CertificateException("the peer sent no certificate");
        }
        X509Certificate leaf = chain.get(0);
        if (leaf.getBasicConstraints() >= 0) {
            throw new CertificateException("the peer's leaf certificate is a CA certificate");
        }
        checkPurpose(leaf, purpose);
        SpiffeId id = idOf(leaf);
        // A chain that ends with the bundle's own root is fine; PKIX wants the path without its anchor.
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && bundle.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(bundle.anchors());
            // Short-lived certificates instead of revocation lists: nothing to fetch, nothing to fail open on.
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw new CertificateException(id + ": certificate does not validate against the trust bundle: "
                    + reason(e), e);
        } catch (InvalidAlgorithmParameterException e) {
            throw new CertificateException("the trust bundle is unusable: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException(id + ": cannot validate the certificate chain: " + e.getMessage(), e);
        }
        return id;
    }

    private static void checkPurpose(X509Certificate leaf, Purpose purpose) throws CertificateException {
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable extended key usage: " + e.getMessage(), e);
        }
        if (usages != null && !usages.contains(purpose.oid) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new CertificateException("the peer's certificate may not be used by " + purpose.role
                    + " (extended key usage " + usages + ")");
        }
    }

    private static String reason(CertPathValidatorException e) {
        Throwable cause = e.getCause();
        // "validity check failed" alone hides whether the certificate expired or is not valid yet.
        String detail = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
        if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
            return "expired (" + detail + ")";
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return "not valid yet (" + detail + ")";
        }
        if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
            return "it is not issued by a CA of the bundle (another CA, or another trust domain)";
        }
        return e.getReason() + (detail == null ? "" : ": " + detail);
    }
}
