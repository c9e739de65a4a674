package io.weft.sidecar.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.weft.sidecar.proxy.DrainEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream connections of one listener: admits at most {@code max} (more are closed on accept, before a
 * byte is read), and reaches every open one when the sidecar drains.
 */
@ChannelHandler.Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTracker.class);

    private final String listener;
    private final int max;
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    public ConnectionTracker(String listener, int max) {
        this.listener = listener;
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.size() >= max) {
            log.warn("{} listener: {} connections open, the maximum; closing {}", listener, max, ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        open.add(ctx.channel());
        ctx.fireChannelActive();
    }

    public int size() {
        return open.size();
    }

    /** Tells every connection to finish its current work and close. */
    public void drain() {
        for (Channel ch : open) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE));
        }
    }

    public void closeAll() {
        open.close().awaitUninterruptibly();
    }
}
