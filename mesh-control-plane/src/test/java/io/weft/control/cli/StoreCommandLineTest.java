package io.weft.control.cli;

import io.weft.control.store.etcd.EtcdSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void theEtcdStoreTakesEndpointsAPrefixAndACaPassphrase() throws Exception {
        Path passphrase = Files.writeString(dir.resolve("ca-passphrase"), "s3cret\n");
        LaunchOptions options = CommandLine.parse("--store", "etcd", "--no-auth",
                "--etcd-endpoints", "http://127.0.0.1:2379, http://127.0.0.1:22379", "--etcd-prefix=/mesh-a",
                "--ca-passphrase-file", passphrase.toString(), "--trust-domain", "prod.example");

        assertThat(options.configDir()).isNull();
        assertThat(options.etcd()).isEqualTo(new EtcdSettings(List.of(URI.create("http://127.0.0.1:2379"),
                URI.create("http://127.0.0.1:22379")), "/mesh-a/", EtcdSettings.DEFAULT_TIMEOUT));
        assertThat(options.caPassphraseFile()).isEqualTo(passphrase);
        assertThat(options.ca().dir()).as("the CA lives in etcd").isNull();
        assertThat(options.ca().trustDomain()).isEqualTo("prod.example");
    }

    @Test
    void theEmbeddedStoreIsTheDefault() throws Exception {
        LaunchOptions options = CommandLine.parse("--config-dir", dir.toString(), "--no-auth");

        assertThat(options.etcd()).isNull();
        assertThat(CommandLine.parse("--store", "embedded", "--config-dir", dir.toString(), "--no-auth"))
                .isEqualTo(options);
    }

    @Test
    void optionsOfTheOtherStoreAreUsageErrors() {
        String d = dir.toString();
        assertUsage("--store etcd needs --etcd-endpoints", "--store", "etcd", "--no-auth");
        assertUsage("--config-dir is for the embedded store", "--store", "etcd", "--etcd-endpoints",
                "http://127.0.0.1:2379", "--config-dir", d, "--no-auth");
        assertUsage("--ca-dir is for the embedded store", "--store", "etcd", "--etcd-endpoints",
                "http://127.0.0.1:2379", "--ca-dir", d, "--no-auth");
        assertUsage("need --store etcd", "--config-dir", d, "--etcd-endpoints", "http://127.0.0.1:2379", "--no-auth");
        assertUsage("--store: 'zookeeper' is not a store", "--store", "zookeeper", "--no-auth");
        assertUsage("--etcd-endpoints: etcd endpoint 'localhost:2379' is not http(s)://host:port", "--store",
                "etcd", "--etcd-endpoints", "localhost:2379", "--no-auth");
        assertUsage("--etcd-endpoints: etcd endpoint '127.0.0.1:2379' is not a URL", "--store", "etcd",
                "--etcd-endpoints", "127.0.0.1:2379", "--no-auth");
        assertUsage("--etcd-prefix: ", "--store", "etcd", "--etcd-endpoints", "http://127.0.0.1:2379",
                "--etcd-prefix", "weft", "--no-auth");
    }

    private static void assertUsage(String message, String... args) {
        assertThatThrownBy(() -> CommandLine.parse(args)).isInstanceOf(UsageException.class)
                .hasMessageContaining(message);
    }
}
