package io.weft.control.ca;

import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.SvidVerifier;
import io.weft.runtime.security.WorkloadKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class CaDirectoryTest {

    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path tmp;

    @Test
    void aRootIsCreatedAtFirstStartWithPrivateFilesAndReusedAfter() throws Exception {
        Path dir = tmp.resolve("ca");
        CertificateAuthority first = CaDirectory.loadOrCreate(CaSettings.in(dir), CLOCK);
        CertificateAuthority second = CaDirectory.loadOrCreate(CaSettings.in(dir), CLOCK);

        assertThat(second.trustBundle()).isEqualTo(first.trustBundle());
        assertThat(first.trustBundle().certificates()).hasSize(1);
        assertThat(Files.readString(dir.resolve("root-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assumeThat(KeyFiles.posix(dir)).as("POSIX permissions").isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("root.pem", "root-key.pem");
        }
    }

    @Test
    void aReloadedCaIssuesCertificatesThatChainToTheSameRoot() throws Exception {
        Path dir = tmp.resolve("ca");
        CertificateAuthority first = CaDirectory.loadOrCreate(CaSettings.in(dir), CLOCK);
        CertificateAuthority again = CaDirectory.loadOrCreate(CaSettings.in(dir), CLOCK);

        List<X509Certificate> chain = again.issueWorkload(csr("orders"), "orders");

        assertThat(SvidVerifier.verify(chain, first.trustBundle(), SvidVerifier.Purpose.CLIENT_AUTH, Instant.now()))
                .isEqualTo(SpiffeId.parse("spiffe://weft.local/ns/default/sa/orders"));
    }

    @Test
    void underTheUsersRootAnIntermediateIsMadeOnceAndSentWithEveryLeaf() throws Exception {
        Path org = tmp.resolve("org-root");
        CaDirectory.loadOrCreate(CaSettings.in(org), CLOCK);
        Path dir = tmp.resolve("ca");
        CaSettings settings = new CaSettings(dir, org.resolve("root.pem"), org.resolve("root-key.pem"),
                "prod.example", "shop", null);

        CertificateAuthority ca = CaDirectory.loadOrCreate(settings, CLOCK);
        CertificateAuthority reloaded = CaDirectory.loadOrCreate(settings, CLOCK);

        assertThat(reloaded.trustBundle()).isEqualTo(ca.trustBundle());
        List<X509Certificate> bundle = ca.trustBundle().certificates();
        assertThat(bundle).hasSize(2);
        assertThat(bundle.get(0).getSubjectX500Principal()).isEqualTo(bundle.get(0).getIssuerX500Principal());
        assertThat(bundle.get(1).getIssuerX500Principal()).isEqualTo(bundle.get(0).getSubjectX500Principal());
        assertThat(bundle.get(1).getBasicConstraints()).isZero();
        List<X509Certificate> chain = reloaded.issueWorkload(csr("orders"), "orders");
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(bundle.get(1));
        assertThat(SvidVerifier.verify(chain, ca.trustBundle(), SvidVerifier.Purpose.SERVER_AUTH, Instant.now()))
                .hasToString("spiffe://prod.example/ns/shop/sa/orders");
        if (KeyFiles.posix(dir)) {
            assertThat(PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("intermediate-key.pem")))).isEqualTo("rw-------");
        }
    }

    @Test
    void aCertificateWithoutItsKeyIsAClearError() throws Exception {
        Path dir = tmp.resolve("ca");
        CaDirectory.loadOrCreate(CaSettings.in(dir), CLOCK);
        Files.delete(dir.resolve("root-key.pem"));

        assertThatThrownBy(() -> CaDirectory.loadOrCreate(CaSettings.in(dir), CLOCK))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("root.pem exists but")
                .hasMessageContaining("root-key.pem is missing");
    }

    @Test
    void aKeyOfAnotherCertificateIsAClearError() throws Exception {
        Path dir = tmp.resolve("ca");
        Path other = tmp.resolve("other");
        CaDirectory.loadOrCreate(CaSettings.in(dir), CLOCK);
        CaDirectory.loadOrCreate(CaSettings.in(other), CLOCK);
        Files.copy(other.resolve("root-key.pem"), dir.resolve("root-key.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> CaDirectory.loadOrCreate(CaSettings.in(dir), CLOCK))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("is not the key of");
    }

    static String csr(String service) {
        return WorkloadKeys.certificationRequest(WorkloadKeys.newKeyPair(), service);
    }
}
