package io.weft.control.ca;

import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.TrustBundle;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Signs workload certificates (X.509 SVIDs) and the API's own server certificate with one signing CA: a root of
 * its own, or an intermediate under the user's root. Load or create one with {@link CaDirectory}.
 */
public final class CertificateAuthority {

    private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);
    /** Certificates start this much in the past, so that a peer whose clock is a little behind accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(1);

    private final PrivateKey signingKey;
    private final X509Certificate signingCert;
    private final List<X509Certificate> intermediates;
    private final TrustBundle trustBundle;
    private final String trustDomain;
    private final String namespace;
    private final Duration certificateTtl;
    private final Clock clock;

    /**
     * @param intermediates the CA certificates between a leaf and the bundle's root, sent with every leaf: the
     *                      signing certificate when it is an intermediate, else none
     */
    CertificateAuthority(PrivateKey signingKey, X509Certificate signingCert, List<X509Certificate> intermediates,
                         TrustBundle trustBundle, CaSettings settings, Clock clock) {
        this.signingKey = Objects.requireNonNull(signingKey);
        this.signingCert = Objects.requireNonNull(signingCert);
        this.intermediates = List.copyOf(intermediates);
        this.trustBundle = Objects.requireNonNull(trustBundle);
        this.trustDomain = settings.trustDomain();
        this.namespace = settings.namespace();
        this.certificateTtl = settings.certificateTtl();
        this.clock = clock;
    }

    public TrustBundle trustBundle() {
        return trustBundle;
    }

    public String trustDomain() {
        return trustDomain;
    }

    public Duration certificateTtl() {
        return certificateTtl;
    }

    /** The identity the CA gives {@code service}. */
    public SpiffeId identityOf(String service) {
        return SpiffeId.forWorkload(trustDomain, namespace, service);
    }

    /**
     * Certifies the key of a PKCS#10 request (PEM) as {@code service}'s workload identity. Only the key is taken
     * from the request.
     *
     * @return the chain: the new leaf, then the intermediate if there is one
     * @throws InvalidRequestException if the request is unreadable, not signed by its key, or its key is weak
     */
    public List<X509Certificate> issueWorkload(String csrPem, String service) throws InvalidRequestException {
        SubjectPublicKeyInfo key = CsrParser.publicKey(csrPem);
        SpiffeId id = identityOf(service);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "weft")
                .addRDN(BCStyle.OU, namespace)
                .addRDN(BCStyle.CN, service)
                .build();
        X509Certificate leaf = leaf(subject, key, certificateTtl,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, id.toString())));
        log.info("issued {} serial {} until {}", id, leaf.getSerialNumber().toString(16),
                leaf.getNotAfter().toInstant());
        return chain(leaf);
    }

    /**
     * A server certificate for the API itself, naming host names and IP addresses.
     *
     * @return the chain: the leaf, then the intermediate if there is one
     */
    public List<X509Certificate> issueServer(PublicKey key, List<String> names, Duration lifetime) {
        GeneralName[] sans = names.stream()
                .map(n -> new GeneralName(isIpAddress(n) ? GeneralName.iPAddress : GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "weft")
                .addRDN(BCStyle.CN, "weft control plane")
                .build();
        return chain(leaf(subject, SubjectPublicKeyInfo.getInstance(key.getEncoded()), lifetime, new GeneralNames(sans)));
    }

    private X509Certificate leaf(X500Name subject, SubjectPublicKeyInfo key, Duration lifetime, GeneralNames sans) {
        Instant now = clock.instant();
        // X.509 times have whole seconds: round up, or a one-second certificate could arrive already expired.
        Instant notAfter = now.plus(lifetime).plusMillis(999).truncatedTo(ChronoUnit.SECONDS);
        Instant caNotAfter = signingCert.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            // A leaf that outlives its CA would fail validation early anyway; say so where it can be fixed.
            log.warn("the CA certificate expires at {}, before the {} asked for; the certificate is cut short",
                    caNotAfter, lifetime);
            notAfter = caNotAfter;
        }
        return new X509Builder(signingCert, signingKey, subject, key, now.minus(BACKDATE), notAfter)
                .tlsLeaf(sans)
                .sign();
    }

    private List<X509Certificate> chain(X509Certificate leaf) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(intermediates);
        return List.copyOf(chain);
    }

    static boolean isIpAddress(String name) {
        return name.indexOf(':') >= 0 || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** A CA of its own held in memory only: for tests, and for tools that need a throwaway mesh. */
    public static CertificateAuthority inMemory(CaSettings settings, Clock clock) {
        KeyPair keys = CaDirectory.newKeyPair();
        X509Certificate root = CaDirectory.selfSignedRoot(keys, settings.trustDomain(), clock.instant());
        return new CertificateAuthority(keys.getPrivate(), root, List.of(), TrustBundle.of(List.of(root)), settings,
                clock);
    }
}
