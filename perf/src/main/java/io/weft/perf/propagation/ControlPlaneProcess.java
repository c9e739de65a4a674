package io.weft.perf.propagation;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The control plane in a JVM of its own (this jar's class path), so its CPU and memory are its own. */
final class ControlPlaneProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ControlPlaneProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ControlPlaneProcess start(Path configDir, String heap, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), "io.weft.control.Main",
                "--config-dir", configDir.toString(), "--port", Integer.toString(port), "--no-auth")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ControlPlaneProcess cp = new ControlPlaneProcess(p, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cp.answers()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the control plane did not start; its log: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return cp;
    }

    private boolean answers() {
        try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** CPU time the process has used so far. */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Resident set size in MiB, from /proc (Linux); NaN elsewhere. */
    double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
