package io.weft.runtime.reliability;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link OpenLoopLoad} for gRPC: unary calls of {@link GrpcControlledServer#WORK} on a channel, call {@code i} due at
 * {@code start + i / rate} whatever earlier calls did, each with a unique {@code x-request-id}. Results are
 * {@link LoadResults}: an OK call counts as status 200, any other status is a failure named by its code.
 */
final class GrpcOpenLoopLoad {

    private static final AtomicInteger LOADS = new AtomicInteger();
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final Channel channel;
    private final int ratePerSecond;
    private final AtomicReferenceArray<LoadResults.Result> results;
    private final String idPrefix = "G" + LOADS.incrementAndGet() + "-";
    private volatile long startNanos;
    private volatile long lastSentNanos;
    private Thread pacer;

    GrpcOpenLoopLoad(Channel channel, int ratePerSecond, Duration duration) {
        this.channel = channel;
        this.ratePerSecond = ratePerSecond;
        this.results = new AtomicReferenceArray<>((int) (ratePerSecond * duration.toMillis() / 1000));
    }

    /** Runs a load of {@code duration} and waits for its end: JIT, threads and connections warm before a measured run. */
    static void warmUp(Channel channel, int ratePerSecond, Duration duration) throws InterruptedException {
        new GrpcOpenLoopLoad(channel, ratePerSecond, duration).start().awaitEnd(Duration.ofSeconds(10));
    }

    GrpcOpenLoopLoad start() {
        startNanos = System.nanoTime();
        pacer = new Thread(this::pace, "grpc-open-loop-pacer");
        pacer.setDaemon(true);
        pacer.start();
        return this;
    }

    void sleepUntil(Duration offset) throws InterruptedException {
        long wait = startNanos + offset.toNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Waits for the last call to be sent and answered, at most {@code grace} after it was due; open ones fail. */
    LoadResults awaitEnd(Duration grace) throws InterruptedException {
        pacer.join(TimeUnit.NANOSECONDS.toMillis(intervalNanos() * results.length()) + grace.toMillis());
        long deadline = System.nanoTime() + grace.toNanos();
        while (!allAnswered() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return new LoadResults(startNanos, lastSentNanos, idPrefix, results);
    }

    private boolean allAnswered() {
        for (int i = 0; i < results.length(); i++) {
            if (results.get(i) == null) {
                return false;
            }
        }
        return true;
    }

    private long intervalNanos() {
        return 1_000_000_000L / ratePerSecond;
    }

    private void pace() {
        long interval = intervalNanos();
        for (int i = 0; i < results.length(); i++) {
            long due = startNanos + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(i, due);
            lastSentNanos = System.nanoTime();
        }
    }

    private void send(int i, long due) {
        String id = idPrefix + i;
        Metadata headers = new Metadata();
        headers.put(GrpcControlledServer.REQUEST_ID, id);
        Channel withId = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        ClientCalls.asyncUnaryCall(withId.newCall(GrpcControlledServer.WORK,
                CallOptions.DEFAULT.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)), id, new StreamObserver<>() {
            @Override
            public void onNext(String backend) {
                record(i, new LoadResults.Result(id, "POST", due, System.nanoTime() - due, 200, backend, null));
            }

            @Override
            public void onError(Throwable t) {
                Status s = Status.fromThrowable(t);
                record(i, new LoadResults.Result(id, "POST", due, System.nanoTime() - due, 0, null,
                        s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription())));
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    private void record(int i, LoadResults.Result r) {
        results.compareAndSet(i, null, r);
    }
}
