package io.weft.control.http;

/** Answers one route of the API; throws {@link ApiException} for any 4xx. */
@FunctionalInterface
public interface Endpoint {

    void handle(Exchange exchange) throws ApiException;
}
