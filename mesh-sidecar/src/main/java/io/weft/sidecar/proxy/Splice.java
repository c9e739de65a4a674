package io.weft.sidecar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;

import java.util.List;

/**
 * After a protocol switch (WebSocket's 101) the sidecar no longer speaks HTTP on either connection: bytes are
 * copied both ways as they come, and each side reads only while the other can take more (Netty's HexDumpProxy).
 */
final class Splice extends ChannelInboundHandlerAdapter {

    /** The HTTP handlers to take out, innermost first, so whatever they still hold flows on to the splice. */
    private static final List<String> HTTP_HANDLERS = List.of("exchange", "upstream", "expect-continue", "flow",
            "http-codec", "head-timeout");

    private final Channel peer;

    private Splice(Channel peer) {
        this.peer = peer;
    }

    /** Joins two connections; both must be on the same event loop. */
    static void join(Channel a, Channel b) {
        install(a, b);
        install(b, a);
        a.config().setAutoRead(true);
        b.config().setAutoRead(true);
    }

    private static void install(Channel ch, Channel peer) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("splice", new Splice(peer));
        for (String name : HTTP_HANDLERS) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg); // an HTTP codec's empty end of message
            return;
        }
        if (!peer.isActive()) {
            buf.release();
            return;
        }
        peer.writeAndFlush(buf);
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
