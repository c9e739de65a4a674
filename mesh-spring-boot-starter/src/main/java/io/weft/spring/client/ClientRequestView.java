package io.weft.spring.client;

import io.weft.api.OutboundRequest;
import org.springframework.web.reactive.function.client.ClientRequest;

/** A WebClient {@link ClientRequest} as the engine sees it; nothing is copied. */
final class ClientRequestView implements OutboundRequest {

    private final ClientRequest request;

    ClientRequestView(ClientRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        String p = request.url().getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    @Override
    public String header(String name) {
        return request.headers().getFirst(name);
    }
}
