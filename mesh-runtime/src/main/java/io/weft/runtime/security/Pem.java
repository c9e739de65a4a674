package io.weft.runtime.security;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** PEM text to and from DER: certificates, certification requests, keys. */
public final class Pem {

    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";

    private Pem() {
    }

    /** Every block of the text, in order; text outside blocks is ignored, as in any PEM file. */
    public static List<Block> blocks(String pem) {
        List<Block> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject object;
            while ((object = reader.readPemObject()) != null) {
                blocks.add(new Block(object.getType(), object.getContent()));
            }
        } catch (IOException | RuntimeException e) {
            // BC reports bad base64 or a missing END line as IOException or as a runtime DecoderException.
            throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
        }
        return blocks;
    }

    /** The one block of {@code type} the text must hold. */
    public static byte[] single(String pem, String type) {
        List<Block> blocks = blocks(pem);
        if (blocks.size() != 1 || !blocks.get(0).type().equals(type)) {
            throw new IllegalArgumentException("expected one PEM block '" + type + "', found "
                    + (blocks.isEmpty() ? "none" : blocks.stream().map(Block::type).toList()));
        }
        return blocks.get(0).der();
    }

    /** The certificates of a PEM text, in order; at least one, and nothing but certificates. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(pem)) {
            if (!block.type().equals(CERTIFICATE)) {
                throw new IllegalArgumentException("expected only CERTIFICATE blocks, found '" + block.type() + "'");
            }
            certificates.add(certificate(block.der()));
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate found in PEM text");
        }
        return List.copyOf(certificates);
    }

    public static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("unreadable certificate: " + e.getMessage(), e);
        }
    }

    public static String encode(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(encode(CERTIFICATE, certificate.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
            }
        }
        return pem.toString();
    }

    public static String encode(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** One PEM block: its type ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...) and its DER bytes. */
    public record Block(String type, byte[] der) {
    }
}
