package io.weft.sidecar.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

import java.util.concurrent.CompletableFuture;

/** Decides where one request goes and runs its attempts through the transport. Called on the event loop. */
public interface Router {

    /**
     * A local reply, or the future of a call whose attempts {@code transport} performs. A failed future becomes a
     * 502/503/504 reply.
     *
     * @param downstream the request's connection (or HTTP/2 stream), for what the connection says about the caller
     */
    CompletableFuture<ProxyResponse> route(HttpRequest request, Channel downstream, ProxyTransport transport);
}
