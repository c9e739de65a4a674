package io.weft.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd for tests: the {@code etcd} binary from the PATH or {@code /usr/bin/etcd} (Debian's
 * {@code etcd-server}), one member on 127.0.0.1 with free ports and a data directory of the test's. It can be
 * stopped and started again on the same ports and data, as an outage.
 *
 * <p>Raft runs with a 10 ms heartbeat, so that etcd's smallest lease is one second and lease-expiry tests are quick.
 */
public final class EtcdServer implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private final Path binary;
    private final Path dataDir;
    private final Path log;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdServer(Path binary, Path dir) throws IOException {
        this.binary = binary;
        this.dataDir = dir.resolve("etcd-data");
        this.log = dir.resolve("etcd.log");
        this.clientPort = freePort();
        this.peerPort = freePort();
    }

    /** Starts etcd with its data and log under {@code dir}; waits until it answers. */
    public static EtcdServer start(Path dir) {
        try {
            EtcdServer etcd = new EtcdServer(binary(), dir);
            etcd.startProcess();
            return etcd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The etcd binary; a missing one fails the test with what to install. */
    static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcd");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path debian = Path.of("/usr/bin/etcd");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        throw new AssertionError("These tests need a real etcd, and no etcd binary is on the PATH or at /usr/bin/etcd. "
                + "Install Debian's etcd-server (apt-get install -y etcd-server; .ci/run does this), or put an etcd "
                + "3.4+ binary on the PATH.");
    }

    public URI clientUrl() {
        return URI.create("http://127.0.0.1:" + clientPort);
    }

    /** Stops etcd at once, as a crash or a network partition would look to its clients. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("etcd did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            process = null;
        }
    }

    /** Starts it again on the same ports with the same data. */
    public void restart() {
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startProcess() throws IOException {
        Files.createDirectories(dataDir);
        String peer = "http://127.0.0.1:" + peerPort;
        ProcessBuilder builder = new ProcessBuilder(List.of(binary.toString(),
                "--name", "weft-test",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl().toString(),
                "--advertise-client-urls", clientUrl().toString(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "weft-test=" + peer,
                "--heartbeat-interval", "10",
                "--election-timeout", "100"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The etcd-server package's defaults file is for its service; none of it applies here.
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
        process = builder.start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitReady();
    }

    private void awaitReady() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(clientUrl().resolve("/health")).timeout(Duration.ofSeconds(1))
                .build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("etcd exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("true")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(50);
        }
        throw new AssertionError("etcd did not become healthy within " + READY_WITHIN + ":\n" + logTail());
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
