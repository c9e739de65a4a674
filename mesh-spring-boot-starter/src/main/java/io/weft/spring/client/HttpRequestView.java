package io.weft.spring.client;

import io.weft.api.OutboundRequest;
import org.springframework.http.HttpRequest;

/** A Spring {@link HttpRequest} (RestClient, RestTemplate) as the engine sees it; nothing is copied. */
final class HttpRequestView implements OutboundRequest {

    private final HttpRequest request;

    HttpRequestView(HttpRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod().name();
    }

    @Override
    public String path() {
        String p = request.getURI().getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    @Override
    public String header(String name) {
        return request.getHeaders().getFirst(name);
    }
}
