package io.weft.control.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.weft.control.snapshot.PublishedSnapshot;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Long polls held open until a newer snapshot is published or their wait runs out. A waiting client costs one
 * small object and one timer on its connection's event loop; no thread waits. Everything about one waiter
 * happens on its channel's event loop, and whoever removes it from the set answers it, so each gets exactly one
 * answer.
 */
public final class WaitingClients {

    private static final AttributeKey<Boolean> HOLDING = AttributeKey.valueOf("weft.holdingLongPoll");

    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private final Supplier<PublishedSnapshot> current;

    public WaitingClients(Supplier<PublishedSnapshot> current) {
        this.current = current;
    }

    public int size() {
        return waiting.size();
    }

    /** True while a long poll is held on this connection and its answer is still owed. */
    static boolean isHolding(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(HOLDING).get());
    }

    /** Holds the request of a client that has {@code knownVersion}; call on the channel's event loop. */
    void hold(ChannelHandlerContext ctx, long knownVersion, Duration wait, boolean keepAlive) {
        Waiter waiter = new Waiter(ctx, knownVersion, keepAlive);
        ctx.channel().attr(HOLDING).set(Boolean.TRUE);
        // The timer first: a close listener added to an already closed channel runs at once and cancels it.
        waiter.timeout = ctx.executor().schedule(() -> answer(waiter), wait.toNanos(), TimeUnit.NANOSECONDS);
        waiter.onClose = future -> {
            if (waiting.remove(waiter)) {
                waiter.timeout.cancel(false);
            }
        };
        waiting.add(waiter);
        ctx.channel().closeFuture().addListener(waiter.onClose);
        // A version published after the endpoint looked but before add() would not have seen this waiter.
        if (current.get().version() != knownVersion) {
            answer(waiter);
        }
    }

    /** Answers everyone waiting on an older version; called by the publisher, on any thread. */
    public void onPublish(PublishedSnapshot snapshot) {
        for (Waiter waiter : waiting) {
            if (waiter.knownVersion != snapshot.version()) {
                waiter.ctx.executor().execute(() -> answer(waiter));
            }
        }
    }

    private void answer(Waiter waiter) {
        if (!waiting.remove(waiter)) {
            return;
        }
        waiter.timeout.cancel(false);
        // Keep-alive connections carry many polls; without this, each would leave a listener behind.
        waiter.ctx.channel().closeFuture().removeListener(waiter.onClose);
        waiter.ctx.channel().attr(HOLDING).set(null);
        PublishedSnapshot snapshot = current.get();
        Responses.write(waiter.ctx, snapshot.version() != waiter.knownVersion
                ? SnapshotResponses.ok(snapshot) : SnapshotResponses.notModified(snapshot), waiter.keepAlive);
    }

    private static final class Waiter {
        final ChannelHandlerContext ctx;
        final long knownVersion;
        final boolean keepAlive;
        ChannelFutureListener onClose;
        ScheduledFuture<?> timeout;

        Waiter(ChannelHandlerContext ctx, long knownVersion, boolean keepAlive) {
            this.ctx = ctx;
            this.knownVersion = knownVersion;
            this.keepAlive = keepAlive;
        }
    }
}
