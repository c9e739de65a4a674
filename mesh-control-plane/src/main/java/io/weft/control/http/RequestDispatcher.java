package io.weft.control.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.weft.control.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * The last handler of every connection: routes each request to its endpoint and turns every failure into an
 * answer, so that no request can take the server down. Stateless, shared by all connections.
 */
@ChannelHandler.Sharable
public final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Router router;

    public RequestDispatcher(Router router) {
        this.router = router;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            // The decoder discards the rest of the connection after a bad message: answer, then close.
            Responses.write(ctx, malformed(request.decoderResult().cause()), false);
            return;
        }
        if (HeldRequests.isHeld(ctx.channel())) {
            // A pipelined request behind a held long poll or a write in progress: answering it now would put its
            // answer before the earlier one's. HTTP/1.1 clients do not pipeline in practice; closing is the one
            // answer that stays correct.
            log.debug("Closing {}: request {} {} sent while an answer is owed", ctx.channel().remoteAddress(),
                    request.method(), request.uri());
            ctx.close();
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            QueryStringDecoder uri = decode(request.uri());
            Router.Match match = router.match(request.method(), uri.path());
            match.endpoint().handle(new Exchange(ctx, request, uri, match.params(), keepAlive));
        } catch (ApiException | RuntimeException e) {
            fail(ctx, request.method() + " " + request.uri(), e, keepAlive);
        }
    }

    /**
     * Answers a request whose endpoint failed: its {@link ApiException}'s status, 503 when the store cannot be
     * reached (the client retries, maybe at another replica), else 500 and the connection closed.
     */
    static void fail(ChannelHandlerContext ctx, String request, Exception e, boolean keepAlive) {
        if (e instanceof ApiException api) {
            log.debug("{} -> {} {}", request, api.status().code(), api.getMessage());
            Responses.write(ctx, Responses.error(api), keepAlive);
        } else if (e instanceof StoreUnavailableException unavailable) {
            log.debug("{} -> 503 {}", request, unavailable.getMessage());
            FullHttpResponse response = Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    unavailable.getMessage());
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            Responses.write(ctx, response, keepAlive);
        } else {
            log.error("{} failed", request, e);
            Responses.write(ctx, Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "internal error: " + e.getClass().getSimpleName()), false);
        }
    }

    private static QueryStringDecoder decode(String uri) throws ApiException {
        try {
            QueryStringDecoder decoder = new QueryStringDecoder(uri);
            decoder.path();
            decoder.parameters();
            return decoder;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed URI: " + e.getMessage());
        }
    }

    private static FullHttpResponse malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return Responses.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Responses.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large");
        }
        String detail = cause instanceof TooLongFrameException || cause == null ? "" : ": " + cause.getMessage();
        return Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request" + detail);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            // Longer than the longest long poll: nobody is waiting on this connection any more.
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            // A client that does not trust the API's certificate, or speaks plain HTTP to the TLS port: the
            // handshake is over, and there is nothing to answer on.
            log.debug("TLS with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // Resets, broken pipes, a client hanging up mid-body (say, after an early 413): the client's
            // business, and nothing left to answer on.
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        log.warn("Closing connection {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        if (ctx.channel().isActive()) {
            Responses.write(ctx, Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error"), false);
        } else {
            ctx.close();
        }
    }
}
