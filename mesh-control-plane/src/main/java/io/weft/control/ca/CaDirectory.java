package io.weft.control.ca;

import io.weft.runtime.security.TrustBundle;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Loads the CA from its directory, or creates it there at first start.
 *
 * <ul>
 * <li>A root of its own: {@code root.pem} and {@code root-key.pem} (EC P-256, valid 10 years).</li>
 * <li>Under the user's root ({@link CaSettings#rootCert()}): {@code intermediate.pem} and
 * {@code intermediate-key.pem}, valid a year (never past the root). It is made again from the root's key when it
 * is missing, no longer signed by the given root, or within 30 days of its end.</li>
 * </ul>
 * Keys are written 0600 in a 0700 directory. Directory and files are never changed once written, except an
 * intermediate being replaced as above.
 */
public final class CaDirectory {

    private static final Logger log = LoggerFactory.getLogger(CaDirectory.class);
    static final String ROOT_CERT = "root.pem";
    static final String ROOT_KEY = "root-key.pem";
    static final String INTERMEDIATE_CERT = "intermediate.pem";
    static final String INTERMEDIATE_KEY = "intermediate-key.pem";
    private static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
    private static final Duration INTERMEDIATE_LIFETIME = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private CaDirectory() {
    }

    /**
     * @throws UncheckedIOException naming the file, if the directory cannot be read or written, or what is in it
     *                              does not fit together (a certificate without its key, a key of another
     *                              certificate)
     */
    public static CertificateAuthority loadOrCreate(CaSettings settings, Clock clock) {
        if (settings.dir() == null) {
            throw new IllegalArgumentException("the CA settings name no directory");
        }
        try {
            KeyFiles.createDirectory(settings.dir());
            return settings.rootCert() == null ? ownRoot(settings, clock) : intermediate(settings, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("certificate authority in " + settings.dir() + ": " + e.getMessage(), e);
        }
    }

    private static CertificateAuthority ownRoot(CaSettings settings, Clock clock) throws IOException {
        Path certFile = settings.dir().resolve(ROOT_CERT);
        Path keyFile = settings.dir().resolve(ROOT_KEY);
        boolean haveCert = Files.exists(certFile);
        boolean haveKey = Files.exists(keyFile);
        X509Certificate root;
        PrivateKey key;
        if (!haveCert && !haveKey) {
            KeyPair keys = newKeyPair();
            root = selfSignedRoot(keys, settings.trustDomain(), clock.instant());
            // The key first: a certificate on disk without its key would be unusable at the next start.
            KeyFiles.writePrivateKey(keyFile, keys.getPrivate());
            KeyFiles.writeCertificates(certFile, List.of(root));
            key = keys.getPrivate();
            log.info("created a new CA root for trust domain {} in {} (valid until {})", settings.trustDomain(),
                    settings.dir(), root.getNotAfter().toInstant());
        } else if (haveCert && haveKey) {
            root = KeyFiles.readCertificate(certFile);
            key = KeyFiles.readPrivateKey(keyFile);
            if (!KeyFiles.matches(key, root.getPublicKey())) {
                throw new IOException(keyFile + " is not the key of " + certFile);
            }
            log.info("loaded the CA root from {} (valid until {})", settings.dir(), root.getNotAfter().toInstant());
        } else {
            throw new IOException((haveCert ? certFile + " exists but " + keyFile : keyFile + " exists but " + certFile)
                    + " is missing; restore it, or empty the directory to make a new CA (every workload then "
                    + "needs new certificates)");
        }
        warnIfEnding(root, certFile.toString(), clock);
        return new CertificateAuthority(key, root, List.of(), TrustBundle.of(List.of(root)), settings, clock);
    }

    private static CertificateAuthority intermediate(CaSettings settings, Clock clock) throws IOException {
        X509Certificate root = userRoot(settings);
        Path certFile = settings.dir().resolve(INTERMEDIATE_CERT);
        Path keyFile = settings.dir().resolve(INTERMEDIATE_KEY);
        X509Certificate intermediate = null;
        PrivateKey key = null;
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            intermediate = KeyFiles.readCertificate(certFile);
            key = KeyFiles.readPrivateKey(keyFile);
            String stale = staleness(intermediate, key, root, clock.instant());
            if (stale != null) {
                log.info("making a new intermediate CA in {}: the one there {}", settings.dir(), stale);
                intermediate = null;
            }
        }
        if (intermediate == null) {
            KeyPair keys = newKeyPair();
            intermediate = newIntermediate(settings, root, keys, clock);
            Files.deleteIfExists(keyFile);
            KeyFiles.writePrivateKey(keyFile, keys.getPrivate());
            KeyFiles.writeCertificates(certFile, List.of(intermediate));
            key = keys.getPrivate();
            log.info("created an intermediate CA under {} in {} (valid until {})",
                    root.getSubjectX500Principal().getName(), settings.dir(), intermediate.getNotAfter().toInstant());
        }
        warnIfEnding(intermediate, certFile.toString(), clock);
        return new CertificateAuthority(key, intermediate, List.of(intermediate),
                TrustBundle.of(List.of(root, intermediate)), settings, clock);
    }

    /**
     * A new intermediate for {@code keys}, signed by the user's root key (read from its file, as only this needs it).
     * Valid a year, never past the root.
     */
    static X509Certificate newIntermediate(CaSettings settings, X509Certificate root, KeyPair keys, Clock clock)
            throws IOException {
        PrivateKey rootKey = KeyFiles.readPrivateKey(settings.rootKey());
        if (!KeyFiles.matches(rootKey, root.getPublicKey())) {
            throw new IOException(settings.rootKey() + " is not the key of " + settings.rootCert());
        }
        Instant now = clock.instant();
        Instant notAfter = min(now.plus(INTERMEDIATE_LIFETIME), root.getNotAfter().toInstant());
        return new X509Builder(root, rootKey, caName("Weft intermediate CA", settings.trustDomain()),
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                now.minus(CertificateAuthority.BACKDATE), notAfter)
                .ca(0)
                .sign();
    }

    /** The user's root certificate, checked to be a CA. */
    static X509Certificate userRoot(CaSettings settings) throws IOException {
        X509Certificate root = KeyFiles.readCertificate(settings.rootCert());
        if (root.getBasicConstraints() < 0) {
            throw new IOException(settings.rootCert() + " is not a CA certificate");
        }
        return root;
    }

    /** Why an existing intermediate cannot be kept, or null if it can. */
    static String staleness(X509Certificate intermediate, PrivateKey key, X509Certificate root, Instant now) {
        try {
            intermediate.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            return "is not signed by the given root";
        }
        if (!KeyFiles.matches(key, intermediate.getPublicKey())) {
            return "does not match its key file";
        }
        if (intermediate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return "ends at " + intermediate.getNotAfter().toInstant();
        }
        return null;
    }

    static void warnIfEnding(X509Certificate ca, String where, Clock clock) {
        Instant end = ca.getNotAfter().toInstant();
        if (end.isBefore(clock.instant().plus(RENEW_BEFORE))) {
            log.warn("the CA certificate {} ends at {}; after that no workload certificate validates. Replace it "
                    + "(a new CA means new certificates for every workload)", where, end);
        }
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    static X509Certificate selfSignedRoot(KeyPair keys, String trustDomain, Instant now) {
        return new X509Builder(null, keys.getPrivate(), caName("Weft root CA", trustDomain),
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                now.minus(CertificateAuthority.BACKDATE), now.plus(ROOT_LIFETIME))
                .ca(-1)
                .sign();
    }

    private static X500Name caName(String commonName, String trustDomain) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "weft")
                .addRDN(BCStyle.OU, trustDomain)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
