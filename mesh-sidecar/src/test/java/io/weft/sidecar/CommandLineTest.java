package io.weft.sidecar;

import io.weft.sidecar.cli.Command;
import io.weft.sidecar.cli.CommandLine;
import io.weft.sidecar.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void aFullCommandLineBecomesSettings() throws Exception {
        Command c = parse("--service", "payments", "--app-port", "8000", "--control-plane", "http://127.0.0.1:15010",
                "--token=secret", "--label", "version=v2", "--label", "zone=a", "--drain-timeout", "30s",
                "--max-header-size", "8192", "run", "--", "python3", "app.py", "--port", "8000");
        SidecarSettings s = c.settings();
        assertThat(s.service()).isEqualTo("payments");
        assertThat(s.appPort()).isEqualTo(8000);
        assertThat(s.controlPlane()).isEqualTo("http://127.0.0.1:15010");
        assertThat(s.token()).isEqualTo("secret");
        assertThat(s.labels()).containsOnly(Map.entry("version", "v2"), Map.entry("zone", "a"));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.limits().maxHeaderSize()).isEqualTo(8192);
        assertThat(s.outboundPort()).isEqualTo(15001);
        assertThat(s.inboundPort()).isEqualTo(15006);
        assertThat(c.appCommand()).containsExactly("python3", "app.py", "--port", "8000");
    }

    @Test
    void theTokenComesFromTheEnvironmentUnlessGiven() throws Exception {
        Command c = CommandLine.parse(new String[]{"--service", "a", "--control-plane", "http://127.0.0.1:1"},
                Map.of("WEFT_TOKEN", "from-env"));
        assertThat(c.settings().token()).isEqualTo("from-env");
        assertThat(c.settings().controlPlaneCa()).isNull();
    }

    @Test
    void everyMistakeNamesItsFlag() throws Exception {
        Path config = Files.writeString(dir.resolve("mesh.yaml"), "service: a\n");
        String cfg = config.toString();
        assertError(List.of("--config-file", cfg, "--app-port", "abc"), "--app-port: 'abc' is not a port number");
        assertError(List.of("--config-file", cfg, "--app-port", "70000"), "--app-port: 70000 is outside 1..65535");
        assertError(List.of("--config-file", cfg, "--label", "novalue"), "--label: 'novalue' is not name=value");
        assertError(List.of("--config-file", cfg, "--drain-timeout", "5x"), "--drain-timeout: '5x' is not a duration");
        assertError(List.of("--config-file", cfg, "--workers", "0"), "--workers: '0' is not a positive whole number");
        assertError(List.of("--config-file", cfg, "--control-plane-ca", dir.resolve("none.pem").toString()),
                "--control-plane-ca: '" + dir.resolve("none.pem") + "' is not a readable file");
        assertError(List.of("--config-file", cfg, "--bogus"), "unknown option --bogus");
        assertError(List.of("--config-file", cfg, "--service"), "--service needs a value");
        assertError(List.of("--config-file", dir.resolve("missing.yaml").toString()), "--config-file: " + dir.resolve("missing.yaml") + " does not exist");
        assertError(List.of("--control-plane", "127.0.0.1:15010", "--service", "a"), "--control-plane: '127.0.0.1:15010' is not an http:// or https:// URL");
        assertError(List.of("--control-plane", "http://127.0.0.1:15010"), "--service is needed with --control-plane");
        assertError(List.of("--app-port", "8000"), "--control-plane or --config-file is needed");
        assertError(List.of("--config-file", cfg, "run"), "run: give the app's command after it");
    }

    @Test
    void mainPrintsTheErrorAndExitsWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Integer code = Main.run(new String[]{"--app-port", "x"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("weft-sidecar: --app-port: 'x' is not a port number");
    }

    @Test
    void helpListsEveryFlag() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[]{"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--service NAME", "--app-port PORT", "--control-plane URL",
                "--outbound-port PORT", "--inbound-port PORT", "--config-file PATH", "--drain-timeout DURATION", "run -- <app command>");
    }

    private static Command parse(String... args) throws UsageException {
        return CommandLine.parse(args, Map.of());
    }

    private static void assertError(List<String> args, String message) {
        assertThatThrownBy(() -> parse(args.toArray(String[]::new)))
                .as("%s", args).isInstanceOf(UsageException.class).hasMessageStartingWith(message);
    }
}
