package io.weft.control.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.weft.control.ControlPlane;
import io.weft.control.support.EtcdReplicas;
import io.weft.control.support.EtcdServer;
import io.weft.control.support.MeshFiles;
import io.weft.control.support.TestControlPlane;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.security.WorkloadKeys;
import io.weft.runtime.support.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the etcd store keeps besides config and instances: the CA, and what it does with config it did not write. */
class EtcdStoreTest {

    private static final Duration MAX = Duration.ofSeconds(10);
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    static Path etcdDir;
    static EtcdServer etcd;
    static Client client;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start(etcdDir);
        client = Client.builder().endpoints(etcd.clientUrl()).build();
    }

    @AfterAll
    static void stopEtcd() {
        client.close();
        etcd.close();
    }

    @Test
    void everyReplicaIssuesUnderTheSameCaWhoseKeyIsStoredEncrypted() throws Exception {
        try (EtcdReplicas replicas = EtcdReplicas.start(etcd, 2, b -> b.caKeyPassphrase(PASSPHRASE))) {
            List<X509Certificate> bundle = replicas.get(0).running().trustBundle().certificates();
            assertThat(replicas.get(1).running().trustBundle().certificates()).isEqualTo(bundle);

            List<X509Certificate> issued = replicas.get(1).running().certificateAuthority()
                    .issueWorkload(WorkloadKeys.certificationRequest(WorkloadKeys.newKeyPair(), "orders"), "orders");
            issued.get(0).verify(bundle.get(0).getPublicKey());

            String stored = value(replicas.settings().prefix() + "ca/root");
            assertThat(stored).contains("ENCRYPTED PRIVATE KEY").doesNotContain("BEGIN PRIVATE KEY");

            ControlPlane.Builder wrong = replicas.builder().caKeyPassphrase("guess".toCharArray());
            assertThatThrownBy(() -> TestControlPlane.start(wrong)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("does not decrypt").hasMessageContaining("same CA passphrase");
        }
    }

    @Test
    void configWrittenToEtcdByHandIsValidatedLikeAFile() throws Exception {
        try (EtcdReplicas replicas = EtcdReplicas.start(etcd, 1)) {
            replicas.apply(0, "orders", MeshFiles.ORDERS);
            long version = replicas.get(0).snapshot().version();

            put(replicas.settings().prefix() + "config/orders",
                    "service: orders\nendpoints: [ { address: nowhere } ]\n");

            Await.until(MAX, "the change is rejected", () -> !replicas.get(0).status().get("lastRejected").isNull());
            assertThat(replicas.get(0).status().get("lastRejected").get("errors").get(0).asText())
                    .startsWith("orders.yaml:2: endpoints[0].address");
            assertThat(replicas.get(0).snapshot().version()).as("the last good config stays").isEqualTo(version);
            assertThatThrownBy(replicas::startAnother).as("a new replica has no last good config to serve")
                    .isInstanceOf(ConfigException.class);

            replicas.apply(0, "orders", MeshFiles.ORDERS);
            Await.until(MAX, "a valid state clears it", () -> replicas.get(0).status().get("lastRejected").isNull());
        }
    }

    private static void put(String key, String value) throws Exception {
        client.getKVClient().put(bytes(key), bytes(value)).get(5, TimeUnit.SECONDS);
    }

    private static String value(String key) throws Exception {
        return client.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs().get(0).getValue()
                .toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
