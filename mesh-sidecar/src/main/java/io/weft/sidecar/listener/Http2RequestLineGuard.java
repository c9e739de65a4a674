package io.weft.sidecar.listener;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * In front of an HTTP/2 stream's conversion to HTTP/1 objects: a request whose {@code :method} or {@code :path}
 * could not be an HTTP/1 request line (a space, a control character) becomes a request that failed to decode, so the
 * proxy answers it 400 as it does a malformed HTTP/1.1 request. Left to Netty's conversion, it would throw, the
 * stream would be reset without an answer, and for HEADERS with END_STREAM the request's buffer would leak (the
 * conversion allocates it before the request line is checked; found by fuzzing).
 */
@ChannelHandler.Sharable
final class Http2RequestLineGuard extends ChannelInboundHandlerAdapter {

    static final Http2RequestLineGuard INSTANCE = new Http2RequestLineGuard();

    private Http2RequestLineGuard() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Http2HeadersFrame frame)) {
            ctx.fireChannelRead(msg); // DATA: after a refused head the proxy drops it
            return;
        }
        String problem = problem(frame.headers()); // trailers carry no pseudo-headers, so pass
        if (problem == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        HttpRequest refused = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        refused.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(problem)));
        ctx.fireChannelRead(refused);
    }

    /** What keeps the head from being a request line, or null; missing pseudo-headers are the codec's to refuse. */
    private static String problem(Http2Headers headers) {
        CharSequence method = headers.method();
        CharSequence path = headers.path();
        if (method != null && !HttpUtil.isEncodingSafeStartLineToken(method)) {
            return "the :method is not a token";
        }
        if (path != null && !HttpUtil.isEncodingSafeStartLineToken(path)) {
            return "the :path has a space or a control character";
        }
        return null;
    }
}
