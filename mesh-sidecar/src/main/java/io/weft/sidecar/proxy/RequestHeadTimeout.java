package io.weft.sidecar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Bounds the time from a request's first byte to the end of its headers (HTTP/1.1), against clients that send
 * headers a byte at a time to hold connections (slowloris): past it, 408 and close. Sits before the codec to see
 * raw bytes; the exchange handler says when a head is complete and when the next one may start.
 */
public final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {

    private final long timeoutNanos;
    private boolean awaitingHead = true;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext ctx;

    public RequestHeadTimeout(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingHead && timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
            timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    void headReceived() {
        awaitingHead = false;
        cancel();
    }

    void awaitNextHead() {
        awaitingHead = true;
    }

    private void expire() {
        timer = null;
        if (awaitingHead && ctx.channel().isActive()) {
            ctx.channel().writeAndFlush(LocalResponses.toHttp(new ProxyResponse.Local(408, "header-timeout",
                            "weft sidecar: request headers not received in time"), false, false, ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
