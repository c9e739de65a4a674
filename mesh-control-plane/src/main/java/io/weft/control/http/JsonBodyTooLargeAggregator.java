package io.weft.control.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * {@link HttpObjectAggregator} whose 413 carries an {@code ErrorMessage} like every other error. When to close
 * follows Netty's own: a keep-alive request announced too large by its Content-Length keeps its connection (the
 * aggregator discards the body), anything already half-read is closed. So is the connection of an
 * {@code Expect: 100-continue} request refused before its body: a client that sends the body anyway would
 * otherwise have it read as the next request.
 */
final class JsonBodyTooLargeAggregator extends HttpObjectAggregator {

    private final int maxContentLength;

    JsonBodyTooLargeAggregator(int maxContentLength) {
        super(maxContentLength, true);
        this.maxContentLength = maxContentLength;
    }

    /** {@code Expect: 100-continue} with a Content-Length too large: the same 413, before the body is sent. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse r && r.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            r.release();
            return tooLarge();
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        FullHttpResponse response = tooLarge();
        boolean close = oversized instanceof FullHttpMessage || !ctx.channel().config().isAutoRead()
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private FullHttpResponse tooLarge() {
        FullHttpResponse response = Responses.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body is larger than " + maxContentLength / 1024 + " KiB");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }
}
