package io.weft.runtime.adapter.okhttp;

import io.weft.api.OutboundRequest;
import okhttp3.Request;

/** An OkHttp request as the engine sees it; nothing is copied. */
final class OkHttpRequestView implements OutboundRequest {

    private final Request request;

    OkHttpRequestView(Request request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String path() {
        return request.url().encodedPath();
    }

    @Override
    public String header(String name) {
        return request.header(name);
    }
}
