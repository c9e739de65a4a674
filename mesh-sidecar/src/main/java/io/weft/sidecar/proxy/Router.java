package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpRequest;

import java.util.concurrent.CompletableFuture;

/** Decides where one request goes and runs its attempts through the transport. Called on the event loop. */
public interface Router {

    /**
     * A local reply, or the future of a call whose attempts {@code transport} performs. A failed future becomes a
     * 502/503/504 reply.
     */
    CompletableFuture<ProxyResponse> route(HttpRequest request, ProxyTransport transport);
}
