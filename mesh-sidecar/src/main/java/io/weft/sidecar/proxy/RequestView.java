package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.weft.api.OutboundRequest;

/** A Netty request head as the engine sees it; nothing is copied but the path. */
final class RequestView implements OutboundRequest {

    private final HttpRequest request;
    private final String path;

    RequestView(HttpRequest request) {
        this.request = request;
        this.path = RequestTarget.path(request.uri());
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }
}
