package io.weft.runtime.reliability;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A well-behaved client calling one URL at a steady pace on a thread of its own, counting what it gets. */
final class SidecarSteadyClient {

    /** What the calls came to: answers by status (0 for an I/O failure) and the slowest one. */
    record Tally(Map<Integer, Integer> byStatus, long maxLatencyNanos) {
        int calls() {
            return byStatus.values().stream().mapToInt(Integer::intValue).sum();
        }

        int ok() {
            return byStatus.getOrDefault(200, 0);
        }
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final Thread thread;
    private long maxLatencyNanos;

    SidecarSteadyClient(OkHttpClient client, String url, Duration every) {
        thread = new Thread(() -> {
            while (running.get()) {
                long start = System.nanoTime();
                int status;
                try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
                    r.body().string();
                    status = r.code();
                } catch (IOException e) {
                    status = 0;
                }
                long took = System.nanoTime() - start;
                synchronized (this) {
                    byStatus.merge(status, 1, Integer::sum);
                    maxLatencyNanos = Math.max(maxLatencyNanos, took);
                }
                long rest = every.toNanos() - took;
                if (rest > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(rest);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "steady-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the call in progress; what all calls came to. */
    Tally stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
        synchronized (this) {
            return new Tally(Map.copyOf(byStatus), maxLatencyNanos);
        }
    }
}
