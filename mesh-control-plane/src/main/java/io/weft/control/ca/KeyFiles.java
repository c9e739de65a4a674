package io.weft.control.ca;

import io.weft.runtime.security.Pem;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The CA's files: private keys as PKCS#8 PEM readable by the owner alone (0600, in a 0700 directory on POSIX),
 * written so that a crash never leaves a half-written key; certificates as PEM.
 */
final class KeyFiles {

    private static final Logger log = LoggerFactory.getLogger(KeyFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private KeyFiles() {
    }

    static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Creates the directory, readable by the owner only, if it does not exist. */
    static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix(dir.toAbsolutePath().getParent() == null ? dir.toAbsolutePath() : dir.toAbsolutePath().getParent())) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * Writes a private key that must not exist yet: to a temporary file created 0600, then moved into place, so
     * the key is never readable by others, not even for a moment, nor half written.
     */
    static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Path dir = file.toAbsolutePath().getParent();
        FileAttribute<?>[] attributes = posix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes);
        try {
            Files.writeString(tmp, Pem.encode("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, Pem.encode(certificates), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static X509Certificate readCertificate(Path file) throws IOException {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (certificates.size() != 1) {
            throw new IOException(file + ": expected one certificate, found " + certificates.size());
        }
        return certificates.get(0);
    }

    /**
     * Reads an unencrypted private key in any of the usual PEM forms: PKCS#8 ({@code PRIVATE KEY}), or the
     * OpenSSL traditional {@code EC PRIVATE KEY} and {@code RSA PRIVATE KEY}. Warns if others may read it.
     */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        warnIfReadableByOthers(file);
        Object parsed;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a PEM private key: " + e.getMessage(), e);
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (parsed instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
        }
        if (parsed instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IOException(file + ": the key is encrypted; give an unencrypted one "
                    + "(openssl pkey -in " + file.getFileName() + " -out plain-key.pem) in a directory only the "
                    + "control plane's user can read");
        }
        throw new IOException(file + ": no private key found" + (parsed == null ? "" : " (found "
                + parsed.getClass().getSimpleName() + ")"));
    }

    /** True if {@code key} is the private half of {@code publicKey}: it signs something the public key verifies. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            String algorithm = X509Builder.signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (posix(file.toAbsolutePath().getParent())) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (permissions.stream().anyMatch(p -> !OWNER_ONLY_FILE.contains(p)
                        && p != PosixFilePermission.OWNER_EXECUTE)) {
                    log.warn("{} may be read by others ({}); make it readable by the control plane's user only: "
                            + "chmod 600 {}", file, PosixFilePermissions.toString(permissions), file);
                }
            }
        } catch (IOException e) {
            log.debug("cannot read the permissions of {}: {}", file, e.toString());
        }
    }
}
