package io.weft.control.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.control.ErrorMessage;

/** Builds and writes the API's answers; every body is JSON made by {@link ConfigMapper#json()}. */
public final class Responses {

    private Responses() {
    }

    public static FullHttpResponse json(HttpResponseStatus status, Object body) {
        try {
            return json(status, Unpooled.wrappedBuffer(ConfigMapper.json().writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }

    public static FullHttpResponse json(HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    /** An answer without a body (204, 304). */
    public static FullHttpResponse empty(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }

    public static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, new ErrorMessage(message));
    }

    public static FullHttpResponse error(ApiException e) {
        FullHttpResponse response = e.body() != null ? json(e.status(), e.body()) : error(e.status(), e.getMessage());
        e.headers().forEach((name, value) -> response.headers().set(name, value));
        return response;
    }

    /** Writes an answer, keeping the connection open for the next request if the client asked for that. */
    public static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        int status = response.status().code();
        // 204 and 304 never have a body; a Content-Length would only confuse strict clients.
        if (status != 204 && status != 304) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
