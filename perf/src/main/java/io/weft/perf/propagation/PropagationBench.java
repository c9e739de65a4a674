package io.weft.perf.propagation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Config propagation: the time from a YAML file's change in the control plane's directory until each of N
 * long-polling clients holds the new snapshot, and what holding N waiting clients costs the control plane
 * (its own JVM: CPU while they wait and per change, resident memory).
 *
 * <pre>java -cp weft-perf.jar io.weft.perf.propagation.PropagationBench --clients 100,1000 --changes 5</pre>
 * prints a Markdown table.
 */
public final class PropagationBench {

    private PropagationBench() {
    }

    public static void main(String[] argv) throws Exception {
        List<Integer> clientCounts = new ArrayList<>();
        int changes = 5;
        Duration idle = Duration.ofSeconds(5);
        for (int i = 0; i + 1 < argv.length; i += 2) {
            switch (argv[i]) {
                case "--clients" -> Arrays.stream(argv[i + 1].split(",")).map(String::trim)
                        .forEach(s -> clientCounts.add(Integer.parseInt(s)));
                case "--changes" -> changes = Integer.parseInt(argv[i + 1]);
                case "--idle" -> idle = Duration.parse("PT" + argv[i + 1].toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + argv[i]
                        + " (--clients 100,1000 --changes 5 --idle 5s)");
            }
        }
        if (clientCounts.isEmpty()) {
            clientCounts.add(100);
        }
        System.out.println("| clients | changes | p50 ms | p99 ms | max ms | control-plane CPU while holding them, ms/s "
                + "| control-plane CPU per change, ms | control-plane RSS, MiB | failed polls |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int n : clientCounts) {
            System.out.println(run(n, changes, idle));
        }
        System.exit(0);
    }

    static String run(int n, int changes, Duration idle) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("weft-propagation-");
        Path file = dir.resolve("backend.yaml");
        write(file, 0);
        try (ControlPlaneProcess cp = ControlPlaneProcess.start(dir, "256m", dir.resolveSibling(dir.getFileName() + ".log"));
             LongPollClients clients = new LongPollClients(cp.uri(), n)) {
            clients.expect(1);
            clients.start();
            await(clients, n, Duration.ofSeconds(60), "every client has its first snapshot");

            // Holding n waiting clients, nothing changing.
            long cpu0 = cp.cpu().toNanos();
            Thread.sleep(idle.toMillis());
            double idleCpuMsPerSecond = (cp.cpu().toNanos() - cpu0) / 1e6 / idle.toSeconds();
            double rss = cp.rssMiB();

            List<Long> delays = new ArrayList<>();
            long cpuChanges = 0;
            for (int k = 1; k <= changes; k++) {
                long before = cp.cpu().toNanos();
                clients.expect(clients.latestVersion() + 1);
                long t0 = System.nanoTime();
                write(file, k);
                await(clients, n, Duration.ofSeconds(30), "every client has change " + k);
                for (int i = 0; i < n; i++) {
                    delays.add(clients.receivedAt(i) - t0);
                }
                Thread.sleep(500);
                cpuChanges += cp.cpu().toNanos() - before;
            }
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            return String.format(Locale.ROOT, "| %,d | %d | %.0f | %.0f | %.0f | %.1f | %.0f | %.0f | %d |", n, changes,
                    ms(sorted, 0.50), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6, idleCpuMsPerSecond,
                    cpuChanges / 1e6 / changes, rss, clients.failures());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static double ms(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void await(LongPollClients clients, int n, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (clients.arrived() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out: " + what + " (" + clients.arrived() + " of " + n
                        + ", " + clients.failures() + " failed polls)");
            }
            Thread.sleep(2);
        }
    }

    /** A new revision of the one service, saved as editors do: a temp file renamed over the old one. */
    private static void write(Path file, int revision) throws IOException {
        Path tmp = file.resolveSibling(".backend.yaml.tmp");
        Files.writeString(tmp, "service: backend\nendpoints: [ { address: 127.0.0.1:9, labels: { rev: \"r" + revision
                + "\" } } ]\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
