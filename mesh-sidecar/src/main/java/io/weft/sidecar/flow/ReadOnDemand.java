package io.weft.sidecar.flow;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Hands the next handler exactly one message per {@code read()} it asks for, holding the rest of what a codec
 * decoded from one socket read. With auto-read off this makes "read the next message" an explicit request, which
 * is what backpressure and one-request-at-a-time HTTP/1.1 need.
 *
 * <p>Unlike Netty's {@code FlowControlHandler}, an outstanding request is never dropped at the end of a read cycle
 * (that handler counts a {@code channelReadComplete} as satisfying every pending read, which loses a read asked
 * for from inside a callback), and a close is passed on only after the messages that preceded it, so a body ended
 * by closing the connection arrives whole.
 */
public final class ReadOnDemand extends ChannelDuplexHandler {

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int demand;
    private boolean delivering;
    private boolean inactive;
    private boolean inactiveFired;

    /** Forgets reads asked for earlier (a pooled connection's watch for a hang-up) before a new user asks its own. */
    public void resetDemand() {
        demand = 0;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        demand++;
        deliver(ctx);
        if (demand > 0 && queue.isEmpty() && !inactive) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        queue.add(msg);
        deliver(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Swallowed: the next handler's reads are paced by its own requests, not by socket read cycles.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        if (queue.isEmpty()) {
            fireInactive(ctx);
        }
    }

    private void deliver(ChannelHandlerContext ctx) {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (demand > 0 && !queue.isEmpty()) {
                demand--;
                ctx.fireChannelRead(queue.poll());
            }
        } finally {
            delivering = false;
        }
        if (inactive && queue.isEmpty()) {
            fireInactive(ctx);
        }
    }

    private void fireInactive(ChannelHandlerContext ctx) {
        if (!inactiveFired) {
            inactiveFired = true;
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Whatever is held goes on to the handlers that take over (a splice after a protocol switch).
        while (!queue.isEmpty()) {
            ctx.fireChannelRead(queue.poll());
        }
        if (inactive) {
            fireInactive(ctx);
        }
    }
}
