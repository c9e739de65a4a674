package io.weft.agent.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a test app in a child JVM: {@code java [-javaagent:...] -cp <app class path> <main> <args>}, bounded by a
 * timeout, its output in files under {@code target/it-work} (kept for a look after a failure). A child that is
 * still alive when the call returns (timeout, test failure, interrupt) is destroyed.
 */
public final class ChildJvm {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ItEnv.Jdk jdk;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<Path> classpath = new ArrayList<>();
    private String mainClass = "example.app.App";
    private final List<String> args = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(60);
    private String name = "child";
    private final java.util.Map<String, String> env = new java.util.LinkedHashMap<>();

    private ChildJvm(ItEnv.Jdk jdk) {
        this.jdk = jdk;
        // The tests' servers are on 127.0.0.1; keep the child on IPv4 loopback too.
        jvmArgs.add("-Djava.net.preferIPv4Stack=true");
    }

    public static ChildJvm on(ItEnv.Jdk jdk) {
        return new ChildJvm(jdk);
    }

    public ChildJvm name(String n) {
        this.name = n.replaceAll("[^A-Za-z0-9._-]", "_");
        return this;
    }

    /** {@code -javaagent:<agent jar>[=args]}; no arguments when {@code agentArgs} is null. */
    public ChildJvm agent(Path jar, String agentArgs) {
        jvmArgs.add("-javaagent:" + jar.toAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs));
        return this;
    }

    public ChildJvm jvmArg(String a) {
        jvmArgs.add(a);
        return this;
    }

    /** An environment variable of the child (on top of this JVM's, less any WEFT_* and JVM option variables). */
    public ChildJvm env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public ChildJvm classpath(Path entry) {
        classpath.add(entry);
        return this;
    }

    public ChildJvm classpath(List<Path> entries) {
        classpath.addAll(entries);
        return this;
    }

    public ChildJvm main(String m) {
        this.mainClass = m;
        return this;
    }

    public ChildJvm args(String... a) {
        args.addAll(List.of(a));
        return this;
    }

    public ChildJvm args(List<String> a) {
        args.addAll(a);
        return this;
    }

    public ChildJvm timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(ItEnv.classpath(classpath));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the child to its end; fails (after destroying it) if it outlives the timeout. */
    public ChildOutput run() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(ItEnv.workDir().resolve(String.format("%03d-%s", RUNS.incrementAndGet(), name)));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        List<String> cmd = command();
        Files.writeString(dir.resolve("command.txt"), String.join("\n", cmd) + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        // The child must not pick up settings from the environment of whoever runs the build.
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        pb.environment().putAll(env);
        long started = System.nanoTime();
        Process p = pb.start();
        try {
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (!exited) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("child JVM '" + name + "' still running after " + timeout + ", destroyed\n"
                        + "command: " + String.join(" ", cmd) + "\n--- stdout\n" + read(out) + "--- stderr\n" + read(err));
            }
            return new ChildOutput(name, cmd, p.exitValue(), read(out).lines().toList(), read(err), took);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
