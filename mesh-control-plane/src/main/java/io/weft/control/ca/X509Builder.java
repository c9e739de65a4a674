package io.weft.control.ca;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

/**
 * Builds and signs one X.509 v3 certificate with the JDK's signature implementations (Bouncy Castle only
 * encodes). Every certificate gets a random 127-bit serial and key identifiers; the rest is up to the caller.
 */
final class X509Builder {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509v3CertificateBuilder builder;
    private final PrivateKey signingKey;

    /**
     * @param issuer     the signing CA's certificate, or null for a self-signed one (then {@code signingKey} is the
     *                   subject's own)
     * @param signingKey the issuer's private key
     */
    X509Builder(X509Certificate issuer, PrivateKey signingKey, X500Name subject, SubjectPublicKeyInfo publicKey,
                Instant notBefore, Instant notAfter) {
        this.signingKey = signingKey;
        X500Name issuerName = issuer == null ? subject
                : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        this.builder = new X509v3CertificateBuilder(issuerName, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(notBefore), Date.from(notAfter), subject, publicKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, issuer == null
                    ? utils.createAuthorityKeyIdentifier(publicKey) : utils.createAuthorityKeyIdentifier(issuer));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot make key identifiers", e);
        }
    }

    X509Builder ca(int pathLength) {
        return add(Extension.basicConstraints, true,
                pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength))
                .add(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }

    /** A leaf for TLS: not a CA, signs handshakes, usable by servers and clients alike. */
    X509Builder tlsLeaf(GeneralNames subjectAlternativeNames) {
        return add(Extension.basicConstraints, true, new BasicConstraints(false))
                .add(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .add(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .add(Extension.subjectAlternativeName, false, subjectAlternativeNames);
    }

    private X509Builder add(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical,
                            org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot add extension " + oid, e);
        }
        return this;
    }

    X509Certificate sign() {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm(signingKey)).build(signingKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate with the CA's "
                    + signingKey.getAlgorithm() + " key", e);
        }
    }

    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported CA key algorithm " + key.getAlgorithm()
                    + "; use an EC, RSA or Ed25519 key");
        };
    }
}
