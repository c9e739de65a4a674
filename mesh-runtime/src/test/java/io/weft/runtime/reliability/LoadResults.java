package io.weft.runtime.reliability;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/** What every request of an {@link OpenLoopLoad} came to; a request that never got an answer counts as failed. */
public final class LoadResults {

    /**
     * One request: when it was due, how long until its answer or failure, and what that was.
     *
     * @param body    the answer's body (the backend's name), null on failure
     * @param failure the client's exception, null when an answer came
     */
    public record Result(String id, String method, long dueNanos, long latencyNanos, int status, String body, String failure) {
        public boolean ok() {
            return failure == null && status == 200;
        }
    }

    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final long startNanos;
    private final long lastSentNanos;
    private final List<Result> results;
    private final int unanswered;

    LoadResults(long startNanos, long lastSentNanos, String idPrefix, AtomicReferenceArray<Result> raw) {
        this.startNanos = startNanos;
        this.lastSentNanos = lastSentNanos;
        List<Result> all = new ArrayList<>(raw.length());
        int missing = 0;
        for (int i = 0; i < raw.length(); i++) {
            Result r = raw.get(i);
            if (r == null) {
                missing++;
                r = new Result(idPrefix + i, "?", 0, MAX_LATENCY_NANOS, 0, null, "no answer before the load ended");
            }
            all.add(r);
        }
        this.results = List.copyOf(all);
        this.unanswered = missing;
    }

    public int total() {
        return results.size();
    }

    /** How many requests went out over how long, and the rate achieved (a starved sender falls behind). */
    public String sent() {
        double seconds = Math.max(1, lastSentNanos - startNanos) / 1e9;
        return String.format(Locale.ROOT, "%d requests in %.1f s (%.0f/s)", total(), seconds, total() / seconds);
    }

    public long succeeded() {
        return results.stream().filter(Result::ok).count();
    }

    public int unanswered() {
        return unanswered;
    }

    public double successPercent() {
        return 100.0 * succeeded() / total();
    }

    public List<Result> failed() {
        return results.stream().filter(r -> !r.ok()).toList();
    }

    /** Failures grouped by method and what the client saw (status or exception), with counts. */
    public Map<String, Long> failureKinds() {
        Map<String, Long> kinds = new TreeMap<>();
        for (Result r : failed()) {
            String what = r.failure() != null ? r.failure() : "status " + r.status();
            kinds.merge(r.method() + " " + what, 1L, Long::sum);
        }
        return kinds;
    }

    /** Answers a backend (by its name in the body) gave to requests due in [{@code from}, {@code to}). */
    public long answeredBy(String backend, Duration from, Duration to) {
        return count(due(from, to).and(r -> backend.equals(r.body())));
    }

    /** Latency of every request due in [{@code from}, {@code to}) after the start, answered or failed. */
    public Histogram latencies(Duration from, Duration to) {
        Histogram h = new Histogram(MAX_LATENCY_NANOS, 3);
        results.stream().filter(due(from, to))
                .forEach(r -> h.recordValue(Math.max(0, Math.min(r.latencyNanos(), MAX_LATENCY_NANOS))));
        return h;
    }

    private long count(Predicate<Result> p) {
        return results.stream().filter(p).count();
    }

    private Predicate<Result> due(Duration from, Duration to) {
        long a = startNanos + from.toNanos();
        long b = startNanos + to.toNanos();
        return r -> r.dueNanos() >= a && r.dueNanos() < b;
    }
}
