package io.weft.perf.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load at a fixed rate: request {@code i} is due at {@code start + i / rate} and its latency counts
 * from then, not from when it was actually sent, so a stall delays the requests behind it and shows in their
 * latency (no coordinated omission, as in wrk2). Requests are started without blocking; when more than
 * {@code maxOutstanding} are waiting, a due request is dropped and counted as an error rather than queued.
 */
public final class FixedRateLoad {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final AsyncCall call;
    private final int rate;
    private final int maxOutstanding;

    public FixedRateLoad(AsyncCall call, int rate, int maxOutstanding) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive, got " + rate);
        }
        this.call = call;
        this.rate = rate;
        this.maxOutstanding = maxOutstanding;
    }

    /** Runs {@code warmup} unmeasured, then {@code measure}; waits for the window's requests to finish. */
    public LoadResult run(String scenario, Duration warmup, Duration measure) throws InterruptedException {
        if (!warmup.isZero()) {
            window(warmup, new Recorder(MAX_LATENCY_MICROS, 3));
        }
        Recorder recorder = new Recorder(MAX_LATENCY_MICROS, 3);
        long cpu0 = ProcessCpu.nanos();
        long t0 = System.nanoTime();
        Counts counts = window(measure, recorder);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
        Histogram latency = recorder.getIntervalHistogram();
        return new LoadResult(scenario, rate, counts.ok.get(), counts.errors.get(), latency, seconds, cpu);
    }

    private record Counts(AtomicLong ok, AtomicLong errors, AtomicLong outstanding) {
    }

    private Counts window(Duration length, Recorder recorder) throws InterruptedException {
        Counts counts = new Counts(new AtomicLong(), new AtomicLong(), new AtomicLong());
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long total = length.toNanos() / periodNanos;
        for (long i = 0; i < total; i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (counts.outstanding.get() >= maxOutstanding) {
                counts.errors.incrementAndGet();
                continue;
            }
            counts.outstanding.incrementAndGet();
            try {
                call.start().whenComplete((status, failure) -> {
                    long micros = (System.nanoTime() - due) / 1000;
                    recorder.recordValue(Math.min(Math.max(micros, 1), MAX_LATENCY_MICROS));
                    (failure == null && status >= 200 && status < 300 ? counts.ok : counts.errors).incrementAndGet();
                    counts.outstanding.decrementAndGet();
                });
            } catch (RuntimeException e) {
                counts.errors.incrementAndGet();
                counts.outstanding.decrementAndGet();
            }
        }
        // Let the window's last requests finish (bounded), so that they count in it.
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counts.outstanding.get() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(1);
        }
        return counts;
    }
}
