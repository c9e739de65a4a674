package io.weft.sidecar.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a downstream HTTP/1.1 connection or HTTP/2 stream. Reads one message at a time (auto-read
 * off, {@code flow.ReadOnDemand} in front): a request head starts an {@link Exchange}, and the next head is read only
 * once that exchange has ended. So HTTP/1.1 pipelining is safe (responses leave in request order) and a client
 * can never make the proxy buffer requests.
 */
public final class DownstreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DownstreamHandler.class);

    private final ProxyContext proxy;
    private final boolean http2;
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    /** A head without a body, waiting for its (empty) end before the exchange starts. */
    private HttpRequest bodylessHead;
    private boolean closing;
    private boolean reading;

    public DownstreamHandler(ProxyContext proxy, boolean http2) {
        this.proxy = proxy;
        this.http2 = http2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            // Added by protocol detection, which then hands on the bytes it holds: ask for the first head once they
            // are in. Asked now, the read would go to the socket as well and find the client's end of input while
            // its request is in flight, aborting an exchange a half-closed client still waits to be answered on.
            ctx.executor().execute(this::readFirstHead);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        readFirstHead();
        ctx.fireChannelActive();
    }

    /** Exactly one read: each read() is one message, and a second would deliver the body before anyone wants it. */
    private void readFirstHead() {
        if (!reading) {
            reading = true;
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof HttpRequest head) {
            onHead(head);
        } else if (msg instanceof HttpContent content) {
            onContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpRequest head) {
        boolean complete = head instanceof FullHttpRequest;
        if (complete) {
            // HTTP/2 HEADERS with END_STREAM (or the HTTP/1 codec's stand-in for an unreadable head): its content is
            // empty and never read, so it goes now, before any path below can drop the head without releasing it (a
            // buffer leaked so, found by fuzzing). The head itself is not reference counted.
            ((FullHttpRequest) head).release();
        }
        if (exchange != null || bodylessHead != null) {
            return; // cannot happen with one read at a time; never start two exchanges
        }
        RequestHeadTimeout headTimeout = ctx.pipeline().get(RequestHeadTimeout.class);
        if (headTimeout != null) {
            headTimeout.headReceived();
        }
        if (head.decoderResult().isFailure()) {
            reject(undecodable(head.decoderResult().cause()));
            return;
        }
        if (RequestChecks.unsupportedVersion(head, http2)) {
            reject(new ProxyResponse.Local(505, "http-version-not-supported",
                    "weft sidecar: " + head.protocolVersion() + " is not spoken here; HTTP/1.0, HTTP/1.1 and h2c are"));
            return;
        }
        String malformed = RequestChecks.problem(head, http2);
        if (malformed != null) {
            reject(new ProxyResponse.Local(400, "malformed-request", "weft sidecar: malformed request: " + malformed));
            return;
        }
        if (RequestChecks.unsupportedExpectation(head, http2)) {
            reject(new ProxyResponse.Local(417, "expectation-failed",
                    "weft sidecar: the only expectation supported is Expect: 100-continue"));
            return;
        }
        if (complete) {
            begin(head, true);
        } else if (isBodyless(head)) {
            bodylessHead = head;
            ctx.read();
        } else {
            begin(head, false);
        }
    }

    private void onContent(HttpContent content) {
        if (bodylessHead != null) {
            boolean last = content instanceof LastHttpContent;
            content.release();
            if (last) {
                HttpRequest head = bodylessHead;
                bodylessHead = null;
                begin(head, true);
            } else {
                ctx.read();
            }
        } else if (exchange != null) {
            exchange.onRequestContent(content);
        } else {
            content.release();
        }
    }

    private void begin(HttpRequest head, boolean bodyless) {
        exchange = new Exchange(this, proxy, ctx.channel(), head, http2, bodyless);
        exchange.start();
    }

    private static boolean isBodyless(HttpRequest head) {
        try {
            return !HttpUtil.isTransferEncodingChunked(head) && HttpUtil.getContentLength(head, 0L) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Why the codec could not read a request. */
    private static ProxyResponse.Local undecodable(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new ProxyResponse.Local(414, "request-line-too-long", "weft sidecar: request line too long");
        }
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            return new ProxyResponse.Local(431, "headers-too-large", "weft sidecar: request headers too large");
        }
        return new ProxyResponse.Local(400, "malformed-request", "weft sidecar: malformed request: "
                + (cause == null ? "unreadable" : cause.getMessage()));
    }

    /** A request that cannot be served as read: say why, then close (the rest of the stream cannot be trusted). */
    private void reject(ProxyResponse.Local reply) {
        closing = true;
        ctx.writeAndFlush(LocalResponses.toHttp(reply, false, false, ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- called by the exchange

    void exchangeEnded(boolean keepConnection) {
        exchange = null;
        if (keepConnection && !closing && !proxy.draining().getAsBoolean()) {
            RequestHeadTimeout headTimeout = ctx.pipeline().get(RequestHeadTimeout.class);
            if (headTimeout != null) {
                headTimeout.awaitNextHead();
            }
            ctx.read();
        } else {
            closeAfterWrites();
        }
    }

    void exchangeAborted() {
        exchange = null;
        closing = true;
        ctx.close();
    }

    void exchangeUpgraded() {
        exchange = null;
    }

    private void closeAfterWrites() {
        closing = true;
        if (http2) {
            ctx.close(); // a finished stream is already closed; an unfinished one is reset
        } else {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onDownstreamWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.abort();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if ((evt instanceof IdleStateEvent || evt == DrainEvent.INSTANCE) && exchange == null && !http2) {
            closing = true;
            ctx.close(); // idle (or draining) between requests
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("downstream {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
