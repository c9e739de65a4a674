package io.weft.runtime.adapter.jdkhttp;

import io.weft.api.OutboundRequest;

import java.net.http.HttpRequest;

/** A JDK {@link HttpRequest} as the engine sees it; nothing is copied. */
final class JdkRequestView implements OutboundRequest {

    private final HttpRequest request;

    JdkRequestView(HttpRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String path() {
        String p = request.uri().getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    @Override
    public String header(String name) {
        return request.headers().firstValue(name).orElse(null);
    }
}
