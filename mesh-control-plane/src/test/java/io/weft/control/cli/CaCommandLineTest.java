package io.weft.control.cli;

import io.weft.control.ca.CaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void caAndTlsOptionsAreParsed() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), "x");
        Path key = Files.writeString(dir.resolve("root-key.pem"), "x");
        LaunchOptions options = CommandLine.parse("--config-dir", dir.toString(), "--no-auth",
                "--ca-dir", dir.resolve("ca").toString(), "--ca-root-cert", root.toString(), "--ca-root-key=" + key,
                "--trust-domain", "prod.example", "--namespace", "shop", "--cert-ttl", "1h",
                "--tls", "--tls-name", "cp.internal, 10.1.2.3", "--tls-name=cp");

        assertThat(options.ca()).isEqualTo(new CaSettings(dir.resolve("ca"), root, key, "prod.example", "shop",
                Duration.ofHours(1)));
        assertThat(options.tls()).isTrue();
        assertThat(options.tlsNames()).containsExactly("cp.internal", "10.1.2.3", "cp");
    }

    @Test
    void withoutCaOptionsTheCaIsOffWithDefaultsWhenOn() throws Exception {
        assertThat(CommandLine.parse("--config-dir", dir.toString(), "--no-auth").ca()).isNull();
        CaSettings ca = CommandLine.parse("--config-dir", dir.toString(), "--no-auth", "--ca-dir", "ca").ca();
        assertThat(ca.trustDomain()).isEqualTo("weft.local");
        assertThat(ca.namespace()).isEqualTo("default");
        assertThat(ca.certificateTtl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void inconsistentCaOptionsAreUsageErrors() {
        for (List<String> args : List.of(
                List.of("--tls"),
                List.of("--trust-domain", "x"),
                List.of("--ca-dir", "ca", "--tls-name", "cp"),
                List.of("--ca-dir", "ca", "--trust-domain", "Upper.Case"),
                List.of("--ca-dir", "ca", "--cert-ttl", "0s"))) {
            String[] all = Stream.concat(Stream.of("--config-dir", dir.toString(), "--no-auth"), args.stream())
                    .toArray(String[]::new);
            assertThatThrownBy(() -> CommandLine.parse(all)).as(args.toString()).isInstanceOf(UsageException.class);
        }
        assertThatThrownBy(() -> CommandLine.parse("--config-dir", dir.toString(), "--no-auth", "--tls"))
                .hasMessageContaining("--ca-dir");
        assertThatThrownBy(() -> CommandLine.parse("--config-dir", dir.toString(), "--no-auth", "--ca-dir", "ca",
                "--trust-domain", "Upper.Case")).hasMessageContaining("trust domain");
    }
}
