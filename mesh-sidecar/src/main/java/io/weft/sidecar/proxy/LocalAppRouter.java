package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.weft.api.Endpoint;
import io.weft.runtime.engine.Attempt;

import java.util.concurrent.CompletableFuture;

/**
 * The inbound side: mesh traffic for this instance goes to the local app, one attempt, no policy. The caller's
 * sidecar (or in-process engine) already chose this instance and owns retries.
 */
public final class LocalAppRouter implements Router {

    private final Endpoint app;

    public LocalAppRouter(String host, int port) {
        this.app = Endpoint.of(host, port);
    }

    @Override
    public CompletableFuture<ProxyResponse> route(HttpRequest request, ProxyTransport transport) {
        return transport.send(new Attempt(app, 0, 0));
    }
}
