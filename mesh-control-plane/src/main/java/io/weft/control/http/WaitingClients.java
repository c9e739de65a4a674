package io.weft.control.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.weft.control.snapshot.PublishedSnapshot;
import io.weft.control.snapshot.VersionOrder;

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

    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private final Supplier<PublishedSnapshot> current;
    private final VersionOrder versions;

    public WaitingClients(Supplier<PublishedSnapshot> current) {
        this(current, VersionOrder.ANY_OTHER);
    }

    /** @param versions which versions a waiting client is owed */
    public WaitingClients(Supplier<PublishedSnapshot> current, VersionOrder versions) {
        this.current = current;
        this.versions = versions;
    }

    /** True if a client that has {@code known} is owed the current snapshot now rather than after a wait. */
    boolean owed(long known, PublishedSnapshot snapshot) {
        return versions.owed(known, snapshot.version());
    }

    public int size() {
        return waiting.size();
    }

    /** Holds the request of a client that has {@code knownVersion}; call on the channel's event loop. */
    void hold(ChannelHandlerContext ctx, long knownVersion, Duration wait, boolean keepAlive) {
        Waiter waiter = new Waiter(ctx, knownVersion, keepAlive);
        HeldRequests.hold(ctx.channel());
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
        if (owed(knownVersion, current.get())) {
            answer(waiter);
        }
    }

    /** Answers everyone owed the new version; called by the publisher, on any thread. */
    public void onPublish(PublishedSnapshot snapshot) {
        for (Waiter waiter : waiting) {
            if (owed(waiter.knownVersion, snapshot)) {
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
        HeldRequests.release(waiter.ctx.channel());
        PublishedSnapshot snapshot = current.get();
        Responses.write(waiter.ctx, owed(waiter.knownVersion, snapshot)
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
