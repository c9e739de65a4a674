package io.weft.sidecar.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.weft.sidecar.flow.ReadOnDemand;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive HTTP/1.1 connections from one event loop to one endpoint, all plaintext or all with one destination's
 * mTLS context (see {@link UpstreamConnector}): at most {@code max} open, idle ones closed after the idle timeout. Single-threaded (the loop's), so it needs no locks. Callers past the maximum wait for a
 * connection to come back.
 */
final class Http1Pool implements UpstreamPool {

    /** Response heads are the upstream's; allow more than a client may send. */
    private static final int MAX_RESPONSE_HEADER_SIZE = 64 * 1024;
    private static final int MAX_CHUNK_SIZE = 8192;

    private record Idle(Channel channel, ScheduledFuture<?> expiry) {
    }

    private final EventLoop loop;
    private final UpstreamDialer dialer;
    private final Bootstrap bootstrap;
    private final int max;
    private final long idleNanos;
    private final ArrayDeque<Idle> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<UpstreamLease>> waiters = new ArrayDeque<>();
    private int open;
    private boolean closed;

    Http1Pool(UpstreamDialer dialer, int max, long idleNanos) {
        this.loop = dialer.loop();
        this.dialer = dialer;
        this.max = max;
        this.idleNanos = idleNanos;
        // Reads happen when the exchange asks: that is the backpressure towards the upstream.
        this.bootstrap = dialer.bootstrap(false, p -> {
            p.addLast("http-codec", new HttpClientCodec(4096, MAX_RESPONSE_HEADER_SIZE, MAX_CHUNK_SIZE));
            p.addLast("flow", new ReadOnDemand());
            p.addLast("upstream", new UpstreamHandler());
        });
    }

    @Override
    public Future<UpstreamLease> acquire() {
        Promise<UpstreamLease> promise = loop.newPromise();
        Idle i;
        while ((i = idle.pollLast()) != null) { // the most recently used: the likeliest to be alive
            i.expiry().cancel(false);
            if (i.channel().isActive()) {
                i.channel().pipeline().get(ReadOnDemand.class).resetDemand();
                promise.setSuccess(new Lease(i.channel()));
                return promise;
            }
        }
        if (closed) {
            promise.setFailure(new java.net.ConnectException("sidecar is shutting down"));
        } else if (open < max) {
            connect(promise);
        } else {
            waiters.add(promise);
        }
        return promise;
    }

    private void connect(Promise<UpstreamLease> promise) {
        open++;
        ChannelFuture f = bootstrap.connect();
        Channel ch = f.channel();
        ch.closeFuture().addListener(c -> onClosed(ch));
        dialer.ready(f).addListener(c -> {
            if (!c.isSuccess()) {
                promise.tryFailure(c.cause());
            } else if (!promise.trySuccess(new Lease(ch))) {
                ch.close();
            }
        });
    }

    private void onClosed(Channel ch) {
        open--;
        idle.removeIf(i -> i.channel() == ch);
        if (!closed && open < max && !waiters.isEmpty()) {
            connect(waiters.poll());
        }
    }

    private void giveBack(Channel ch, boolean reusable) {
        UpstreamHandler handler = ch.pipeline().get(UpstreamHandler.class);
        if (handler != null) {
            handler.listener(null);
        }
        if (!reusable || closed || !ch.isActive()) {
            ch.close();
            return;
        }
        Promise<UpstreamLease> waiter = waiters.poll();
        if (waiter != null) {
            waiter.setSuccess(new Lease(ch));
            return;
        }
        // Idle: keep a read pending, so that a server closing the connection (or misbehaving) is noticed at once.
        ch.read();
        idle.add(new Idle(ch, loop.schedule(() -> {
            ch.close();
        }, idleNanos, TimeUnit.NANOSECONDS)));
    }

    @Override
    public void close() {
        closed = true;
        // Copied first: each close removes its connection from the idle list.
        java.util.List<Idle> all = new java.util.ArrayList<>(idle);
        idle.clear();
        all.forEach(i -> i.channel().close());
        waiters.forEach(w -> w.tryFailure(new java.net.ConnectException("sidecar is shutting down")));
        waiters.clear();
    }

    private final class Lease implements UpstreamLease {
        private final Channel channel;
        private boolean done;

        Lease(Channel channel) {
            this.channel = channel;
        }

        @Override
        public Channel channel() {
            return channel;
        }

        @Override
        public UpstreamProtocol protocol() {
            return UpstreamProtocol.HTTP_1_1;
        }

        @Override
        public void listen(UpstreamListener listener) {
            channel.pipeline().get(UpstreamHandler.class).listener(listener);
        }

        @Override
        public void release(boolean reusable) {
            if (!done) {
                done = true;
                giveBack(channel, reusable);
            }
        }

        @Override
        public void detach() {
            done = true;
        }
    }
}
