package io.weft.control.ca;

import io.weft.control.ca.SharedCaStorage.StoredCa;
import io.weft.runtime.security.Pem;
import io.weft.runtime.security.TrustBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * Loads the CA from a store shared by several control-plane replicas, or creates it there at first start, so that
 * every replica issues under the same CA. The same two shapes as {@link CaDirectory}: a root of its own, or an
 * intermediate under the user's root (whose key each replica reads from its file, only to make the intermediate).
 *
 * <p>The key is stored encrypted ({@link EncryptedKeys}) under a passphrase each replica is given out of band, so
 * whoever can read the store (its users, its backups) cannot sign with it. Replicas starting at the same time race
 * with a compare-and-set; the loser uses the winner's CA.
 */
public final class SharedCa {

    private static final Logger log = LoggerFactory.getLogger(SharedCa.class);
    static final String ROOT = "root";
    static final String INTERMEDIATE = "intermediate";

    private SharedCa() {
    }

    /**
     * @throws UncheckedIOException if the stored CA cannot be used: a key that does not decrypt with this passphrase,
     *                              a key of another certificate, an unreadable root file
     */
    public static CertificateAuthority loadOrCreate(CaSettings settings, char[] passphrase, SharedCaStorage storage,
                                                    Clock clock) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("a CA in a shared store needs a passphrase to encrypt its key with");
        }
        try {
            return settings.rootCert() == null ? ownRoot(settings, passphrase, storage, clock)
                    : intermediate(settings, passphrase, storage, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("certificate authority in the store: " + e.getMessage(), e);
        }
    }

    private static CertificateAuthority ownRoot(CaSettings settings, char[] passphrase, SharedCaStorage storage,
                                                Clock clock) throws IOException {
        StoredCa stored = storage.read(ROOT).orElse(null);
        if (stored == null) {
            KeyPair keys = CaDirectory.newKeyPair();
            X509Certificate root = CaDirectory.selfSignedRoot(keys, settings.trustDomain(), clock.instant());
            StoredCa mine = encode(root, keys.getPrivate(), passphrase);
            stored = storage.compareAndSet(ROOT, null, mine);
            log.info(stored.equals(mine) ? "created a new CA root for trust domain {} in the store"
                    : "another replica created the CA root for trust domain {} first; using it",
                    settings.trustDomain());
        }
        Loaded root = decode(ROOT, stored, passphrase);
        CaDirectory.warnIfEnding(root.certificate(), "the CA root in the store", clock);
        return new CertificateAuthority(root.key(), root.certificate(), List.of(),
                TrustBundle.of(List.of(root.certificate())), settings, clock);
    }

    private static CertificateAuthority intermediate(CaSettings settings, char[] passphrase, SharedCaStorage storage,
                                                     Clock clock) throws IOException {
        X509Certificate root = CaDirectory.userRoot(settings);
        StoredCa stored = storage.read(INTERMEDIATE).orElse(null);
        if (stored != null) {
            Loaded loaded = decode(INTERMEDIATE, stored, passphrase);
            String stale = CaDirectory.staleness(loaded.certificate(), loaded.key(), root, clock.instant());
            if (stale == null) {
                return withIntermediate(loaded, root, settings, clock);
            }
            log.info("making a new intermediate CA in the store: the one there {}", stale);
        }
        KeyPair keys = CaDirectory.newKeyPair();
        X509Certificate intermediate = CaDirectory.newIntermediate(settings, root, keys, clock);
        StoredCa mine = encode(intermediate, keys.getPrivate(), passphrase);
        StoredCa now = storage.compareAndSet(INTERMEDIATE, stored, mine);
        if (now.equals(mine)) {
            log.info("created an intermediate CA under {} in the store (valid until {})",
                    root.getSubjectX500Principal().getName(), intermediate.getNotAfter().toInstant());
        }
        return withIntermediate(decode(INTERMEDIATE, now, passphrase), root, settings, clock);
    }

    private static CertificateAuthority withIntermediate(Loaded intermediate, X509Certificate root, CaSettings settings,
                                                         Clock clock) {
        CaDirectory.warnIfEnding(intermediate.certificate(), "the intermediate CA in the store", clock);
        return new CertificateAuthority(intermediate.key(), intermediate.certificate(),
                List.of(intermediate.certificate()), TrustBundle.of(List.of(root, intermediate.certificate())),
                settings, clock);
    }

    private static StoredCa encode(X509Certificate certificate, PrivateKey key, char[] passphrase) {
        return new StoredCa(Pem.encode(List.of(certificate)), EncryptedKeys.encrypt(key, passphrase));
    }

    private static Loaded decode(String name, StoredCa stored, char[] passphrase) throws IOException {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(stored.certificatePem());
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        if (certificates.size() != 1) {
            throw new IOException(name + ": expected one certificate, found " + certificates.size());
        }
        PrivateKey key;
        try {
            key = EncryptedKeys.decrypt(stored.keyPem(), passphrase);
        } catch (IOException e) {
            throw new IOException(name + " key: " + e.getMessage() + "; every replica needs the same CA passphrase",
                    e);
        }
        if (!KeyFiles.matches(key, certificates.get(0).getPublicKey())) {
            throw new IOException(name + ": the stored key is not the key of the stored certificate");
        }
        return new Loaded(certificates.get(0), key);
    }

    private record Loaded(X509Certificate certificate, PrivateKey key) {
    }
}
