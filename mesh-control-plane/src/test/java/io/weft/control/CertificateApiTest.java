package io.weft.control;

import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.control.CertificateResponse;
import io.weft.runtime.control.ErrorMessage;
import io.weft.runtime.control.SnapshotMessage;
import io.weft.runtime.security.Pem;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.SvidVerifier;
import io.weft.runtime.security.TrustBundle;
import io.weft.runtime.security.WorkloadKeys;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.weft.control.support.TestControlPlane.FRONTEND_TOKEN;
import static io.weft.control.support.TestControlPlane.ORDERS_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code POST /v1/certificates}, {@code GET /v1/trust-bundle} and the snapshot's trust bundle. */
class CertificateApiTest {

    private static final SpiffeId ORDERS = SpiffeId.parse("spiffe://weft.local/ns/default/sa/orders");

    @TempDir
    Path dir;

    @TempDir
    Path caDir;

    private TestControlPlane cp;

    @BeforeEach
    void start() {
        MeshFiles.write(dir, "orders.yaml", MeshFiles.ORDERS);
        cp = TestControlPlane.start(dir, b -> b.caDir(caDir));
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    @Test
    void aCsrWithTheServicesTokenGetsAShortLivedCertificateForThatServiceOnly() throws Exception {
        KeyPair keys = WorkloadKeys.newKeyPair();
        HttpResponse<String> response = request(ORDERS_TOKEN, "orders", WorkloadKeys.certificationRequest(keys, "orders"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        CertificateResponse answer = TestControlPlane.read(response.body(), CertificateResponse.class);
        List<X509Certificate> chain = Pem.certificates(answer.certificateChain());
        X509Certificate leaf = chain.get(0);
        TrustBundle bundle = TrustBundle.fromPem(answer.trustBundle());
        assertThat(answer.spiffeId()).isEqualTo(ORDERS.toString());
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(SvidVerifier.verify(chain, bundle, SvidVerifier.Purpose.CLIENT_AUTH, Instant.now())).isEqualTo(ORDERS);
        assertThat(bundle).isEqualTo(cp.running().trustBundle());
        assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()).toMinutes())
                .isCloseTo(24 * 60, within(2L));
        assertThat(answer.notAfter()).isEqualTo(leaf.getNotAfter().toInstant().toString());
    }

    @Test
    void theIdentityACsrAsksForIsIgnored() throws Exception {
        KeyPair keys = WorkloadKeys.newKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                GeneralName.uniformResourceIdentifier, "spiffe://weft.local/ns/default/sa/frontend")));
        String csr = Pem.encode(Pem.CERTIFICATE_REQUEST, new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=frontend"), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                .getEncoded());

        HttpResponse<String> response = request(ORDERS_TOKEN, "orders", csr);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        X509Certificate leaf = Pem.certificates(
                TestControlPlane.read(response.body(), CertificateResponse.class).certificateChain()).get(0);
        assertThat(SvidVerifier.idOf(leaf)).isEqualTo(ORDERS);
        assertThat(leaf.getSubjectAlternativeNames()).hasSize(1);
        assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=orders").doesNotContain("frontend");
    }

    @Test
    void aBadTokenIs401AndAnotherServicesTokenIs403() {
        String csr = WorkloadKeys.certificationRequest(WorkloadKeys.newKeyPair(), "orders");

        HttpResponse<String> unknown = request("not-a-token", "orders", csr);
        HttpResponse<String> missing = request(null, "orders", csr);
        HttpResponse<String> other = request(FRONTEND_TOKEN, "orders", csr);

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(error(unknown)).isEqualTo("unknown token");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(error(other)).contains("belongs to service 'frontend', not to 'orders'");
    }

    @Test
    void aCsrWhoseSignatureDoesNotVerifyIs400() {
        byte[] der = Pem.single(WorkloadKeys.certificationRequest(WorkloadKeys.newKeyPair(), "orders"),
                Pem.CERTIFICATE_REQUEST);
        der[der.length - 5] ^= 0x01; // inside the signature's BIT STRING
        HttpResponse<String> response = request(ORDERS_TOKEN, "orders", Pem.encode(Pem.CERTIFICATE_REQUEST, der));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).startsWith("csr: the signature does not verify");
    }

    @Test
    void malformedRequestsAre400WithAMessage() {
        assertThat(error(request(ORDERS_TOKEN, "orders", "hello"), 400))
                .isEqualTo("csr: expected one PEM block 'CERTIFICATE REQUEST', found none");
        assertThat(error(request(ORDERS_TOKEN, "orders",
                "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"), 400))
                .startsWith("csr: not a PKCS#10 certification request");
        assertThat(error(request(ORDERS_TOKEN, "orders", null), 400)).startsWith("csr: is required");
        assertThat(error(request(ORDERS_TOKEN, null, "x"), 400)).isEqualTo("service: is required");
        assertThat(error(cp.post("/v1/certificates", ORDERS_TOKEN, "{\"service\":\"orders\",\"key\":1}"), 400))
                .startsWith("key: unknown field");
        assertThat(error(cp.post("/v1/certificates", ORDERS_TOKEN, "not json"), 400)).startsWith("malformed JSON");
    }

    @Test
    void theTrustBundleIsServedToAnyoneAndSentInSnapshots() {
        HttpResponse<String> response = cp.get("/v1/trust-bundle", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-pem-file");
        assertThat(TrustBundle.fromPem(response.body())).isEqualTo(cp.running().trustBundle());
        SnapshotMessage snapshot = cp.snapshot();
        assertThat(snapshot.trustBundle()).isEqualTo(response.body());
        assertThat(snapshot.services()).extracting(s -> s.service()).containsExactly("orders");
    }

    @Test
    void withoutACaTheSnapshotHasNoTrustBundleAndTheCaEndpointsSaySo(@TempDir Path other) {
        MeshFiles.write(other, "orders.yaml", MeshFiles.ORDERS);
        try (TestControlPlane plain = TestControlPlane.start(other)) {
            HttpResponse<String> snapshot = plain.get("/v1/snapshot?service=orders", ORDERS_TOKEN);
            assertThat(TestControlPlane.json(snapshot.body()).has("trustBundle")).isFalse();
            HttpResponse<String> certificate = plain.post("/v1/certificates", ORDERS_TOKEN, "{}");
            assertThat(certificate.statusCode()).isEqualTo(404);
            assertThat(error(certificate)).contains("certificate authority is off");
        }
    }

    private HttpResponse<String> request(String token, String service, String csr) {
        StringBuilder json = new StringBuilder("{");
        if (service != null) {
            json.append("\"service\":\"").append(service).append('"');
        }
        if (csr != null) {
            json.append(service != null ? "," : "").append("\"csr\":\"").append(csr.replace("\n", "\\n")).append('"');
        }
        return cp.post("/v1/certificates", token, json.append('}').toString());
    }

    private static String error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return error(response);
    }

    private static String error(HttpResponse<String> response) {
        return TestControlPlane.read(response.body(), ErrorMessage.class).error();
    }
}
