package io.weft.control.ca;

import io.weft.runtime.security.Pem;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.Provider;

/**
 * Private keys as encrypted PKCS#8 PEM: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, the format
 * {@code openssl pkey} reads, so an operator can still recover the key with the passphrase and standard tools.
 */
final class EncryptedKeys {

    /** Enough to slow a guess at a weak passphrase; the passphrase is meant to be a random secret anyway. */
    private static final int ITERATIONS = 200_000;
    /** The JDK has no AES/CBC/PKCS7Padding; Bouncy Castle's, passed per call rather than installed JVM-wide. */
    private static final Provider BC = new BouncyCastleProvider();

    private EncryptedKeys() {
    }

    static String encrypt(PrivateKey key, char[] passphrase) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(ITERATIONS)
                    .setPassword(passphrase)
                    .setProvider(BC)
                    .build();
            return Pem.encode("ENCRYPTED PRIVATE KEY", new JcaPKCS8Generator(key, encryptor).generate().getContent());
        } catch (OperatorCreationException | PemGenerationException e) {
            throw new IllegalStateException("cannot encrypt the CA key", e);
        }
    }

    /** @throws IOException if it is not an encrypted key, or the passphrase is wrong */
    static PrivateKey decrypt(String pem, char[] passphrase) throws IOException {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        }
        if (!(parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
            throw new IOException("not an encrypted PKCS#8 private key");
        }
        try {
            PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase));
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PKCSException | OperatorCreationException e) {
            throw new IOException("the key does not decrypt with the passphrase given", e);
        }
    }
}
