package io.weft.sidecar.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.weft.sidecar.proxy.DrainEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tells HTTP/2 with prior knowledge (the connection preface {@code PRI * HTTP/2.0...}) from HTTP/1.1 by the first
 * bytes, then puts the matching handlers in its place. Decides as soon as a byte differs from the preface, so a
 * slow HTTP/1.1 client is not kept waiting for 24 bytes. The header timeout runs from the first byte here too: a
 * client that trickles the preface (each byte resetting the idle timeout) is closed like any other slowloris.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(ProtocolDetector.class);
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final DownstreamProtocols protocols;
    private final long headerTimeoutNanos;
    private ScheduledFuture<?> deadline;

    ProtocolDetector(DownstreamProtocols protocols, Duration headerTimeout) {
        this.protocols = protocols;
        this.headerTimeoutNanos = headerTimeout.toNanos();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (deadline == null && in.isReadable()) {
            deadline = ctx.executor().schedule(() -> {
                log.debug("downstream {}: no protocol after {} ms; closing", ctx.channel().remoteAddress(),
                        TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos));
                ctx.close(); // no answer: which protocol to answer in is what is not known
            }, headerTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE.getByte(PREFACE.readerIndex() + i)) {
                protocols.http1(ctx.pipeline(), ctx.name());
                ctx.pipeline().remove(this);
                return;
            }
        }
        if (n == PREFACE.readableBytes()) {
            protocols.http2(ctx.pipeline(), ctx.name());
            ctx.pipeline().remove(this);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelDeadline(); // decided: the protocol's own timeouts take over
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** Before a protocol is known the only failures are the connection's own: a refused TLS handshake, a reset. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("downstream {} failed before its first request: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent || evt == DrainEvent.INSTANCE) {
            ctx.close(); // connected but silent
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
