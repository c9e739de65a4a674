package io.weft.control.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void defaults() throws Exception {
        LaunchOptions options = CommandLine.parse("--config-dir", dir.toString(), "--no-auth");

        assertThat(options).isEqualTo(new LaunchOptions(dir, 15010, "127.0.0.1", null, true, Duration.ofSeconds(15), false));
    }

    @Test
    void everyOptionInBothSpellings() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.yaml"), "services: { orders: x }\n");

        LaunchOptions options = CommandLine.parse("--config-dir=" + dir, "--tokens", tokens.toString(),
                "--port=0", "--host", "0.0.0.0", "--instance-ttl", "1.5s");

        assertThat(options).isEqualTo(new LaunchOptions(dir, 0, "0.0.0.0", tokens, false, Duration.ofMillis(1500), false));
    }

    @Test
    void badArgumentsAreNamed() {
        String d = dir.toString();
        assertUsage("unknown argument '--verbose'", "--config-dir", d, "--no-auth", "--verbose");
        assertUsage("--port: 'http' is not a port number", "--config-dir", d, "--no-auth", "--port", "http");
        assertUsage("--port: '70000'", "--config-dir", d, "--no-auth", "--port=70000");
        assertUsage("--port needs a value", "--config-dir", d, "--no-auth", "--port");
        assertUsage("--instance-ttl: 'soon' is not a duration", "--config-dir", d, "--no-auth", "--instance-ttl", "soon");
        assertUsage("--instance-ttl: must be longer than 0", "--config-dir", d, "--no-auth", "--instance-ttl", "0s");
        assertUsage("--config-dir DIR is required", "--no-auth");
        assertUsage("--config-dir: '" + dir.resolve("missing") + "' is not a directory",
                "--config-dir", dir.resolve("missing").toString(), "--no-auth");
        assertUsage("--tokens: '" + dir.resolve("none.yaml") + "' is not a file",
                "--config-dir", d, "--tokens", dir.resolve("none.yaml").toString());
        assertUsage("--no-auth takes no value", "--config-dir", d, "--no-auth=yes");
        assertUsage("--host: ", "--config-dir", d, "--no-auth", "--host", " ");
    }

    @Test
    void refusesToRunWithoutChoosingAnAuthMode() {
        assertUsage("refusing to start without authentication: give --tokens FILE, or --no-auth",
                "--config-dir", dir.toString());
        assertUsage("--tokens and --no-auth exclude each other",
                "--config-dir", dir.toString(), "--no-auth", "--tokens", "x.yaml");
    }

    @Test
    void help() throws Exception {
        assertThat(CommandLine.parse("--help").help()).isTrue();
        assertThat(CommandLine.USAGE).contains("--config-dir", "--tokens", "--no-auth", "--port", "--host", "--instance-ttl");
    }

    private static void assertUsage(String message, String... args) {
        assertThatThrownBy(() -> CommandLine.parse(args)).isInstanceOf(UsageException.class)
                .hasMessageContaining(message);
    }
}
