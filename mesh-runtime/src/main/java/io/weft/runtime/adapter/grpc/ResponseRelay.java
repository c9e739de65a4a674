package io.weft.runtime.adapter.grpc;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Delivers response events to the app's listener one at a time and in order, from whichever thread has them, and
 * nothing after the close: the guarantees grpc-java gives a listener, kept across attempts and local replies.
 * Queueing ({@link #headers}, {@link #message}, …) may happen under a caller's lock; {@link #flush} runs the app's
 * code and must not.
 * <p>
 * Events reach the app on the call's executor when it set one ({@link io.grpc.CallOptions#getExecutor()}), as
 * grpc-java's own calls do: the blocking stubs' executor runs only on the waiting app thread, which an event
 * delivered on an engine timer or another attempt's thread would never wake.
 */
final class ResponseRelay<RespT> {

    private final ClientCall.Listener<RespT> listener;
    /** The app's executor for this call, or null to deliver on the thread that has the events. */
    private final Executor executor;
    private final Queue<Event<RespT>> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Written only by the thread that holds {@link #draining}. */
    private boolean closed;

    ResponseRelay(ClientCall.Listener<RespT> listener, Executor executor) {
        this.listener = listener;
        this.executor = executor;
    }

    void headers(Metadata headers) {
        events.add(new Event<>(l -> l.onHeaders(headers), false));
    }

    void message(RespT message) {
        events.add(new Event<>(l -> l.onMessage(message), false));
    }

    void ready() {
        events.add(new Event<>(ClientCall.Listener::onReady, false));
    }

    void close(Status status, Metadata trailers) {
        events.add(new Event<>(l -> l.onClose(status, trailers), true));
    }

    /** Delivers what is queued, on the app's executor if it has one. */
    void flush() {
        if (executor == null || events.isEmpty()) {
            drain();
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain(); // the app's executor is gone (a blocking call that gave up): nothing waits for order any more
        }
    }

    /** Delivers what is queued, unless another thread is delivering it already (that one then takes it). */
    private void drain() {
        while (!events.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Event<RespT> next;
                while ((next = events.poll()) != null) {
                    if (!closed) {
                        // Marked before it runs: nothing the listener triggers is delivered after the close.
                        closed = next.isClose;
                        next.action.accept(listener);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }

    private record Event<RespT>(Consumer<ClientCall.Listener<RespT>> action, boolean isClose) {
    }
}
