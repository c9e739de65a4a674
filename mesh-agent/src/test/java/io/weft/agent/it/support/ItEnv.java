package io.weft.agent.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the failsafe configuration in the pom hands the integration tests: the built agent, the apps, the libraries. */
public final class ItEnv {

    private ItEnv() {
    }

    private static Path path(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the integration tests "
                    + "through Maven (mvn verify -pl mesh-agent), whose failsafe configuration sets it");
        }
        return Path.of(v);
    }

    /** The agent jar as the build made it: {@code target/weft-agent.jar}. */
    public static Path agentJar() {
        Path jar = path("weft.it.agentJar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: the integration tests run after 'package'");
        }
        return jar;
    }

    /** The test apps ({@code example.app.*}) and nothing else. */
    public static Path appsJar() {
        return path("weft.it.appsJar");
    }

    /** Every jar of one library set under {@code target/it-libs/NAME}, e.g. {@code okhttp-4}, {@code jackson-2.9}. */
    public static List<Path> libs(String name) {
        Path dir = path("weft.it.libs").resolve(name);
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no jars in " + dir);
            }
            return jars;
        } catch (IOException e) {
            throw new IllegalStateException("library set " + name + " not found in " + dir
                    + " (the dependency plugin copies it in pre-integration-test)", e);
        }
    }

    /** Where child JVMs write their output: {@code target/it-work}. */
    public static Path workDir() throws IOException {
        return Files.createDirectories(path("weft.it.workDir"));
    }

    /** The JDK that runs the build (and these tests). */
    public static Jdk buildJdk() {
        return new Jdk("build JDK", Path.of(System.getProperty("java.home")));
    }

    /** The second JDK, from {@code weft.it.jdk25}; may be absent on a machine. */
    public static Jdk jdk25() {
        String v = System.getProperty("weft.it.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64");
        return new Jdk("JDK 25", Path.of(v));
    }

    public static String classpath(List<Path> entries) {
        List<String> parts = new ArrayList<>();
        for (Path p : entries) {
            parts.add(p.toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    /** A JDK to run children with. */
    public record Jdk(String name, Path home) {
        public Path java() {
            return home.resolve("bin").resolve("java");
        }

        public boolean present() {
            return Files.isExecutable(java());
        }

        @Override
        public String toString() {
            return name + " (" + home + ")";
        }
    }
}
