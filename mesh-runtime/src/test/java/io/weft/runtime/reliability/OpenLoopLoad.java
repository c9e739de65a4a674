package io.weft.runtime.reliability;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: request {@code i} is due at {@code start + i / rate} whatever earlier answers did, so a stall shows
 * as latency (measured from when the request was due) rather than as fewer requests: no coordinated omission. Each
 * request carries a unique {@code x-request-id}; with {@code posts}, every other one is a POST with a body.
 */
public final class OpenLoopLoad {

    private static final MediaType JSON = MediaType.get("application/json");
    /** Numbers loads, so request ids stay unique across the loads of one backend's life (a warm-up, then the run). */
    private static final AtomicInteger LOADS = new AtomicInteger();

    private final OkHttpClient client;
    private final String url;
    private final int ratePerSecond;
    private final int total;
    private final boolean posts;
    private final String idPrefix = "L" + LOADS.incrementAndGet() + "-";
    private final AtomicReferenceArray<LoadResults.Result> results;
    private final AtomicInteger answered = new AtomicInteger();
    /** The pacer sends requests below this index only; {@link #stop()} sets it to 0. */
    private volatile int limit;
    private volatile int sent;
    private volatile long lastSentNanos;
    private volatile long startNanos;
    private Thread pacer;

    public OpenLoopLoad(OkHttpClient client, String url, int ratePerSecond, Duration duration, boolean posts) {
        this.client = client;
        this.url = url;
        this.ratePerSecond = ratePerSecond;
        this.total = (int) (ratePerSecond * duration.toMillis() / 1000);
        this.posts = posts;
        this.results = new AtomicReferenceArray<>(total);
        this.limit = total;
    }

    /** Starts sending on a thread of its own; returns at once. */
    public OpenLoopLoad start() {
        startNanos = System.nanoTime();
        pacer = new Thread(this::pace, "open-loop-pacer");
        pacer.setDaemon(true);
        pacer.start();
        return this;
    }

    /** Runs a load of {@code duration} and waits for its end: JIT, threads and connections warm before a measured run. */
    public static void warmUp(OkHttpClient client, String url, int ratePerSecond, Duration duration) throws InterruptedException {
        new OpenLoopLoad(client, url, ratePerSecond, duration, false).start().awaitEnd(Duration.ofSeconds(10));
    }

    /** Sleeps until {@code offset} after the start of the load. */
    public void sleepUntil(Duration offset) throws InterruptedException {
        long wait = startNanos + offset.toNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Sends nothing more; {@link #awaitEnd} then waits for the requests already sent. */
    public void stop() {
        limit = 0;
    }

    /**
     * Waits for the last request to be sent and every answer to arrive, at most {@code grace} after the last one was
     * due; a request still open then counts as failed.
     */
    public LoadResults awaitEnd(Duration grace) throws InterruptedException {
        pacer.join(TimeUnit.NANOSECONDS.toMillis(intervalNanos() * total) + grace.toMillis());
        long end = System.nanoTime() + grace.toNanos();
        while (answered.get() < sent && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        AtomicReferenceArray<LoadResults.Result> sentOnes = new AtomicReferenceArray<>(sent);
        for (int i = 0; i < sent; i++) {
            sentOnes.set(i, results.get(i));
        }
        return new LoadResults(startNanos, lastSentNanos, idPrefix, sentOnes);
    }

    private long intervalNanos() {
        return 1_000_000_000L / ratePerSecond;
    }

    private void pace() {
        long interval = intervalNanos();
        for (int i = 0; i < total && i < limit; i++) {
            long due = startNanos + i * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (i >= limit) {
                return;
            }
            send(i, due);
            lastSentNanos = System.nanoTime();
            sent = i + 1;
        }
    }

    private void send(int i, long due) {
        String id = idPrefix + i;
        boolean post = posts && i % 2 == 0;
        Request.Builder b = new Request.Builder().url(url).header("x-request-id", id);
        if (post) {
            b.post(RequestBody.create(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), JSON));
        }
        String method = post ? "POST" : "GET";
        client.newCall(b.build()).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    String body = response.body() == null ? "" : response.body().string();
                    record(i, new LoadResults.Result(id, method, due, System.nanoTime() - due, response.code(), body, null));
                } catch (IOException e) {
                    onFailure(call, e);
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                record(i, new LoadResults.Result(id, method, due, System.nanoTime() - due, 0, null, e.toString()));
            }
        });
    }

    private void record(int i, LoadResults.Result r) {
        if (results.compareAndSet(i, null, r)) {
            answered.incrementAndGet();
        }
    }
}
