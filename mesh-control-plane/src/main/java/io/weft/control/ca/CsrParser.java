package io.weft.control.ca;

import io.weft.runtime.security.Pem;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * Reads a PKCS#10 request and keeps nothing of it but its public key, after checking that the request is signed
 * by that key's private half (so the caller holds it) and that the key is strong enough. Subject, extensions and
 * attributes are ignored: the CA decides what the certificate says.
 */
final class CsrParser {

    private static final int MIN_RSA_BITS = 2048;

    private CsrParser() {
    }

    /** @throws InvalidRequestException with a message for the caller, prefixed {@code csr: } */
    static SubjectPublicKeyInfo publicKey(String pem) throws InvalidRequestException {
        if (pem == null || pem.isBlank()) {
            throw new InvalidRequestException("csr: is required: a PEM certification request");
        }
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(Pem.single(pem, Pem.CERTIFICATE_REQUEST));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("csr: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new InvalidRequestException("csr: not a PKCS#10 certification request: " + e.getMessage());
        }
        SubjectPublicKeyInfo info = request.getSubjectPublicKeyInfo();
        PublicKey key = checkedKey(info);
        boolean valid;
        try {
            // From the JDK's key, not the SubjectPublicKeyInfo: BC would look the key factory up by OID, an alias
            // SunEC does not register.
            valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new InvalidRequestException("csr: the signature cannot be checked: " + e.getMessage());
        }
        if (!valid) {
            throw new InvalidRequestException("csr: the signature does not verify with the request's public key; "
                    + "sign the request with the private key of the key it asks a certificate for");
        }
        return info;
    }

    private static PublicKey checkedKey(SubjectPublicKeyInfo info) throws InvalidRequestException {
        PublicKey key;
        try {
            byte[] der = info.getEncoded();
            String algorithm = info.getAlgorithm().getAlgorithm().getId();
            key = switch (algorithm) {
                case "1.2.840.10045.2.1" -> KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
                case "1.2.840.113549.1.1.1" -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
                default -> throw new InvalidRequestException("csr: unsupported key type (" + algorithm
                        + "); use EC P-256 (or RSA of at least " + MIN_RSA_BITS + " bits)");
            };
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidRequestException("csr: unreadable public key: " + e.getMessage());
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new InvalidRequestException("csr: RSA key of " + rsa.getModulus().bitLength()
                    + " bits is too weak; use at least " + MIN_RSA_BITS);
        }
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() < 256) {
            throw new InvalidRequestException("csr: EC key of " + ec.getParams().getCurve().getField().getFieldSize()
                    + " bits is too weak; use P-256 or larger");
        }
        return key;
    }
}
