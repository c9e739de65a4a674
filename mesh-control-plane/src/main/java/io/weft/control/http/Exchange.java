package io.weft.control.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;
import java.util.Map;

/**
 * One request and the way to answer it. Valid only while the endpoint runs: the request is released after; an
 * endpoint that answers later (a long poll) keeps {@link #ctx()} and {@link #keepAlive()}, not the exchange, or
 * {@link #detach()}es it.
 */
public final class Exchange {

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final QueryStringDecoder uri;
    private final Map<String, String> pathParams;
    private final boolean keepAlive;
    /** For a detached exchange: the connection is held until its answer is written. */
    private boolean held;

    Exchange(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri,
             Map<String, String> pathParams, boolean keepAlive) {
        this(ctx, request, uri, pathParams, keepAlive, false);
    }

    private Exchange(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri,
                     Map<String, String> pathParams, boolean keepAlive, boolean detached) {
        this.ctx = ctx;
        this.request = request;
        this.uri = uri;
        this.pathParams = pathParams;
        this.keepAlive = keepAlive;
        this.held = detached;
    }

    /**
     * The same exchange, valid until {@link #release()}d, to be answered from another thread; until it is answered,
     * a request pipelined behind it is refused.
     */
    Exchange detach() {
        request.retain();
        HeldRequests.hold(ctx.channel());
        return new Exchange(ctx, request, uri, pathParams, keepAlive, true);
    }

    /** Ends a {@link #detach()}ed exchange, answered or not. */
    void release() {
        unhold();
        request.release();
    }

    /** Answers with the error {@code e} stands for; see {@link RequestDispatcher#fail}. */
    void fail(Exception e) {
        unhold();
        RequestDispatcher.fail(ctx, request.method() + " " + request.uri(), e, keepAlive);
    }

    /** A query parameter, or null when absent; given twice is a 400, as it is ambiguous. */
    public String query(String name) throws ApiException {
        List<String> values = uri.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name + ": given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    public String requiredQuery(String name) throws ApiException {
        String value = query(name);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(name + ": query parameter is required");
        }
        return value;
    }

    /** The part of the path that matched {@code {name}} in the route. */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public String header(CharSequence name) {
        return request.headers().get(name);
    }

    public ByteBuf body() {
        return request.content();
    }

    public ChannelHandlerContext ctx() {
        return ctx;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    public void respond(FullHttpResponse response) {
        unhold();
        Responses.write(ctx, response, keepAlive);
    }

    /**
     * Before the answer is written, as the next request may come as soon as the client has it; and only once, so
     * that the hold of that next request is never lifted by mistake.
     */
    private synchronized void unhold() {
        if (held) {
            held = false;
            HeldRequests.release(ctx.channel());
        }
    }
}
