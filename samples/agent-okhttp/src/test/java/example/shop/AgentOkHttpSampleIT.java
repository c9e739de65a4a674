package example.shop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample as its README runs it: the packaged app with the one {@code -javaagent} flag, against three named
 * backends on 127.0.0.1, with the sample's own {@code mesh/orders.yaml} (its ports swapped for free ones).
 */
class AgentOkHttpSampleIT {

    private static final List<Backend> backends = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void startBackends() throws IOException {
        for (String name : List.of("orders-a", "orders-b", "orders-c")) {
            backends.add(Backend.start(name, 0));
        }
    }

    @AfterAll
    static void stopBackends() {
        backends.forEach(Backend::close);
    }

    private static Path property(String name) {
        String v = System.getProperty(name);
        assertThat(v).as("system property %s (set by failsafe in the pom)", name).isNotNull();
        return Path.of(v);
    }

    /** The shipped config, pointing at this test's backends. */
    private static Path mesh() throws IOException {
        String yaml = Files.readString(Path.of("mesh", "orders.yaml"));
        for (int i = 0; i < 3; i++) {
            yaml = yaml.replace("127.0.0.1:" + (28081 + i), "127.0.0.1:" + backends.get(i).port());
        }
        Path mesh = Files.createDirectories(dir.resolve("mesh"));
        Files.writeString(mesh.resolve("orders.yaml"), yaml);
        return mesh;
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(List<String> jvmArgs, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(property("sample.jar").toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            assertThat(exited).as("the app ends within 60 s: %s", cmd).isTrue();
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void withTheAgentEveryCallReachesAnOrdersBackendInTurn() throws Exception {
        Path agent = property("weft.agentJar");
        assumeTrue(Files.isRegularFile(agent), agent + " is not built: build mesh-agent first (mvn verify -pl mesh-agent,samples/agent-okhttp)");
        Run r = run(List.of("-javaagent:" + agent + "=config=" + mesh()), "9");
        assertThat(r.exit()).as("exit\n%s\n%s", r.stdout(), r.stderr()).isZero();
        assertThat(r.stdout().lines().filter(l -> l.startsWith("GET http://orders/api/orders/")).toList())
                .hasSize(9)
                .allSatisfy(l -> assertThat(l).contains(" -> 200 orders-").contains("(Host: orders)"));
        assertThat(r.stdout()).contains("answered by: {orders-a=3, orders-b=3, orders-c=3}");
        assertThat(r.stderr()).contains("[weft] agent installed").doesNotContain("WARNING: ");
    }

    @Test
    void withoutTheAgentTheNameDoesNotResolve() throws Exception {
        Run r = run(List.of(), "1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).contains("UnknownHostException").contains("-javaagent:weft-agent.jar");
    }
}
