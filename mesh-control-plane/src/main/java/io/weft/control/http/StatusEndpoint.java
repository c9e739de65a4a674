package io.weft.control.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.Supplier;

/** {@code GET /v1/status}: open to all, for operators and health checks; it holds no secrets. */
final class StatusEndpoint implements Endpoint {

    private final Supplier<?> status;

    StatusEndpoint(Supplier<?> status) {
        this.status = status;
    }

    @Override
    public void handle(Exchange exchange) {
        exchange.respond(Responses.json(HttpResponseStatus.OK, status.get()));
    }
}
