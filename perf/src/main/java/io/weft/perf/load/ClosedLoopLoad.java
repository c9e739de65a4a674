package io.weft.perf.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maximum throughput: {@code concurrency} requests always in flight, each started as soon as one ends, for a
 * fixed time. Latency here is service time under saturation, not comparable with the fixed-rate figures.
 */
public final class ClosedLoopLoad {

    private final AsyncCall call;
    private final int concurrency;

    public ClosedLoopLoad(AsyncCall call, int concurrency) {
        this.call = call;
        this.concurrency = concurrency;
    }

    public LoadResult run(String scenario, Duration warmup, Duration measure) throws InterruptedException {
        window(warmup, new Recorder(TimeUnit.MINUTES.toMicros(1), 3), new AtomicLong(), new AtomicLong());
        Recorder recorder = new Recorder(TimeUnit.MINUTES.toMicros(1), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long cpu0 = ProcessCpu.nanos();
        long t0 = System.nanoTime();
        window(measure, recorder, ok, errors);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
        Histogram latency = recorder.getIntervalHistogram();
        return new LoadResult(scenario, 0, ok.get(), errors.get(), latency, seconds, cpu);
    }

    private void window(Duration length, Recorder recorder, AtomicLong ok, AtomicLong errors)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            long started = System.nanoTime();
            try {
                call.start().whenComplete((status, failure) -> {
                    recorder.recordValue(Math.max(1, Math.min((System.nanoTime() - started) / 1000,
                            TimeUnit.MINUTES.toMicros(1))));
                    (failure == null && status >= 200 && status < 300 ? ok : errors).incrementAndGet();
                    slots.release();
                });
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                slots.release();
            }
        }
        // The requests still in flight end before the next window starts (bounded).
        slots.tryAcquire(concurrency, 10, TimeUnit.SECONDS);
    }
}
