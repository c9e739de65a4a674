package io.weft.perf.propagation;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code n} clients long-polling the control plane as runtimes do (each its own connection and caller name,
 * one shared JDK client), recording when each first holds a version: {@code receivedAt[i]} for the version last
 * asked about with {@link #expect}. Parsing the snapshot is part of the time, applying it to an engine is not.
 */
final class LongPollClients implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final int n;
    private final long[] versions;
    private final AtomicLongArray receivedAt;
    private final AtomicLong failures = new AtomicLong();
    private volatile long expected;
    private volatile boolean closed;

    LongPollClients(URI base, int n) {
        this.base = base;
        this.n = n;
        this.versions = new long[n];
        this.receivedAt = new AtomicLongArray(n);
    }

    void start() {
        for (int i = 0; i < n; i++) {
            poll(i);
        }
    }

    /** From now on, records when each client first holds {@code version} or newer. */
    void expect(long version) {
        for (int i = 0; i < n; i++) {
            receivedAt.set(i, 0);
        }
        expected = version;
        for (int i = 0; i < n; i++) {
            synchronized (this) {
                if (versions[i] >= version) {
                    receivedAt.compareAndSet(i, 0, System.nanoTime());
                }
            }
        }
    }

    /** How many clients hold the expected version. */
    int arrived() {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (receivedAt.get(i) != 0) {
                count++;
            }
        }
        return count;
    }

    long receivedAt(int i) {
        return receivedAt.get(i);
    }

    /** The newest version any client holds. */
    synchronized long latestVersion() {
        long max = 0;
        for (long v : versions) {
            max = Math.max(max, v);
        }
        return max;
    }

    long failures() {
        return failures.get();
    }

    private void poll(int i) {
        if (closed) {
            return;
        }
        long have;
        synchronized (this) {
            have = versions[i];
        }
        URI uri = base.resolve("/v1/snapshot?service=client-" + i + (have > 0 ? "&version=" + have + "&wait=30s" : ""));
        http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
            if (failure != null || (response.statusCode() != 200 && response.statusCode() != 304)) {
                failures.incrementAndGet();
            } else if (response.statusCode() == 200) {
                received(i, response.body());
            }
            poll(i);
        });
    }

    private void received(int i, byte[] body) {
        long version;
        try {
            version = JSON.readTree(body).get("version").asLong();
        } catch (java.io.IOException e) {
            failures.incrementAndGet();
            return;
        }
        long now = System.nanoTime();
        synchronized (this) {
            versions[i] = Math.max(versions[i], version);
        }
        if (expected > 0 && version >= expected) {
            receivedAt.compareAndSet(i, 0, now);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
