package io.weft.runtime.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * Key pairs and certification requests of a workload. Keys are EC P-256 made by the JDK (SunEC); Bouncy Castle
 * only encodes the PKCS#10 structure and is never installed as a JCE provider.
 */
public final class WorkloadKeys {

    private static final String SIGNATURE = "SHA256withECDSA";

    private WorkloadKeys() {
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    /**
     * A PKCS#10 request, PEM, for {@code keys}' public key, signed with its private key. The subject names the
     * service for people reading logs; the control plane ignores it and decides the identity itself.
     */
    public static String certificationRequest(KeyPair keys, String service) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "weft")
                .addRDN(BCStyle.CN, service)
                .build();
        try {
            byte[] der = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate()))
                    .getEncoded();
            return Pem.encode(Pem.CERTIFICATE_REQUEST, der);
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign a certification request", e);
        }
    }
}
