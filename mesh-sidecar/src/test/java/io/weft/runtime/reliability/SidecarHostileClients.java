package io.weft.runtime.reliability;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Thousands of abusive connections at once from two threads (Netty, non-blocking): each writes what its
 * {@link SidecarHostileKind} says and keeps trickling until the sidecar closes it, and records the status it got
 * and how long the sidecar took to close it.
 */
final class SidecarHostileClients implements AutoCloseable {

    /**
     * What one connection got: the status of its first response ({@link SidecarHostileKind#NO_ANSWER}: nothing,
     * {@link SidecarHostileKind#HTTP2_FRAMES}: bytes that are no HTTP/1.1 status line) and how long after its connect
     * began the sidecar closed it.
     */
    record Outcome(SidecarHostileKind kind, int status, long closedAfterNanos) {
    }

    static final int CONNECT_FAILED = -2;

    /** Connects in flight at once, so that the listener's accept backlog is not what is being measured. */
    private static final int CONNECTS_IN_FLIGHT = 256;

    private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("hostile-client", true));
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Channel> channels = new ArrayList<>();
    private final Duration tick;
    private CountDownLatch closed;

    SidecarHostileClients(Duration tick) {
        this.tick = tick;
    }

    /** Opens {@code perKind} connections of every kind, interleaved; returns once all are connected. */
    void open(int port, int perKind) throws InterruptedException {
        SidecarHostileKind[] kinds = SidecarHostileKind.values();
        closed = new CountDownLatch(perKind * kinds.length);
        Semaphore connecting = new Semaphore(CONNECTS_IN_FLIGHT);
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        for (int i = 0; i < perKind * kinds.length; i++) {
            SidecarHostileKind kind = kinds[i % kinds.length];
            connecting.acquire();
            long started = System.nanoTime();
            ChannelFuture f = b.clone().handler(new Abuser(kind, started)).connect("127.0.0.1", port);
            f.addListener(c -> {
                connecting.release();
                if (!c.isSuccess()) { // never active, so never inactive either
                    outcomes.add(new Outcome(kind, CONNECT_FAILED, System.nanoTime() - started));
                    closed.countDown();
                }
            });
            channels.add(f.channel());
        }
        connecting.acquire(CONNECTS_IN_FLIGHT);
        connecting.release(CONNECTS_IN_FLIGHT);
    }

    /** Waits until the sidecar has closed every connection, at most {@code timeout}; the outcomes so far. */
    List<Outcome> awaitClosed(Duration timeout) throws InterruptedException {
        closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return List.copyOf(outcomes);
    }

    /** Connections the sidecar has not closed (yet). */
    long open() {
        return closed.getCount();
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** One connection's client. */
    private final class Abuser extends ChannelInboundHandlerAdapter {
        private final SidecarHostileKind kind;
        private final long started;
        private int status;
        private int trickled;
        private ScheduledFuture<?> ticker;

        Abuser(SidecarHostileKind kind, long started) {
            this.kind = kind;
            this.started = started;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(kind.start));
            if (kind.bytesPerTick > 0) {
                ticker = ctx.executor().scheduleAtFixedRate(() -> trickle(ctx), tick.toNanos(), tick.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        }

        private void trickle(ChannelHandlerContext ctx) {
            if (!kind.repeat && trickled >= kind.trickle.length) {
                return; // out of bytes: silent from now on
            }
            ByteBuf next = ctx.alloc().buffer(kind.bytesPerTick);
            for (int i = 0; i < kind.bytesPerTick; i++) {
                next.writeByte(kind.trickle[trickled++ % kind.trickle.length]);
            }
            ctx.writeAndFlush(next);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (status == SidecarHostileKind.NO_ANSWER && in.readableBytes() >= 12) {
                String line = in.toString(in.readerIndex(), 12, StandardCharsets.ISO_8859_1);
                status = line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : SidecarHostileKind.HTTP2_FRAMES;
            }
            in.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ticker != null) {
                ticker.cancel(false);
            }
            outcomes.add(new Outcome(kind, status, System.nanoTime() - started));
            closed.countDown();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset by the sidecar: the close is what counts
        }
    }
}
