package io.weft.spring;

import io.weft.runtime.WeftRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under the agent the starter stands down. The agent is detected by its bridge class on the bootstrap class path,
 * so this runs a child JVM with such a class there ({@code -Xbootclasspath/a}), as {@code -javaagent} would put it.
 */
class AgentCoexistenceTest {

    /** Run in the child JVM: says which of the starter's beans exist. */
    public static final class Probe {
        public static void main(String[] args) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(WeftAutoConfiguration.class,
                            io.weft.spring.client.WeftClientsAutoConfiguration.class,
                            io.weft.spring.actuate.WeftActuatorAutoConfiguration.class))
                    .run(context -> System.out.println("agent=" + WeftAgentDetector.agentPresent()
                            + " runtime=" + context.getBeansOfType(WeftRuntime.class).size()
                            + " restClientCustomizers=" + context.getBeansOfType(RestClientCustomizer.class).size()
                            + " webClientCustomizers=" + context.getBeansOfType(WebClientCustomizer.class).size()
                            + " failed=" + (context.getStartupFailure() != null)));
        }
    }

    @Test
    void withoutTheAgentTheStarterMeshesTheClients() {
        assertThat(WeftAgentDetector.agentPresent()).isFalse();
    }

    @Test
    void underTheAgentTheStarterAddsNoRuntimeAndNoClientCustomizers(@TempDir Path dir) throws Exception {
        Path bootstrap = fakeAgentBridge(dir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xshare:off", "-Xbootclasspath/a:" + bootstrap,
                "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).as(output)
                .contains("agent=true runtime=0 restClientCustomizers=0 webClientCustomizers=0 failed=false")
                .contains("The Weft agent is in this JVM");
    }

    /** A class named as the agent's bridge, compiled into a directory for the child's bootstrap class path. */
    private static Path fakeAgentBridge(Path dir) throws Exception {
        Path source = dir.resolve("src/io/weft/agent/bootstrap/WeftBridge.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package io.weft.agent.bootstrap; public final class WeftBridge { }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(rc).as("javac").isZero();
        assertThat(Files.exists(classes.resolve("io/weft/agent/bootstrap/WeftBridge.class"))).isTrue();
        return classes;
    }
}
