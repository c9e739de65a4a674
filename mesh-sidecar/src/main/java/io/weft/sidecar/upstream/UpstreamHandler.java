package io.weft.sidecar.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

import java.net.ConnectException;

/**
 * The last handler of every upstream exchange channel (a pooled HTTP/1.1 connection or an HTTP/2 stream): hands
 * events to whoever holds the lease. With no holder (idle in the pool) any data or close ends the connection,
 * so a server that hung up is noticed before the connection is lent again.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private UpstreamListener listener;
    private Throwable failure;

    void listener(UpstreamListener listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener != null && msg instanceof HttpObject http) {
            listener.onMessage(http);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (listener == null) {
            ctx.close(); // unsolicited data on an idle connection: it can no longer be trusted
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onClosed(failure);
        }
    }

    /**
     * An HTTP/2 stream the server refused unprocessed (RST_STREAM REFUSED_STREAM, RFC 9113 section 8.7): for the
     * engine the request never left, so it may go again, as Envoy's {@code refused-stream} retry does.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset && reset.errorCode() == Http2Error.REFUSED_STREAM.code()) {
            failure = new ConnectException("the upstream refused the stream unprocessed (REFUSED_STREAM)");
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }
}
