package io.weft.control.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/** A request the API answers with an error status and an {@code ErrorMessage}; carries no stack trace. */
public final class ApiException extends Exception {

    private final HttpResponseStatus status;
    private final Map<String, String> headers;

    public ApiException(HttpResponseStatus status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public ApiException(HttpResponseStatus status, String message) {
        this(status, message, Map.of());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** Extra headers of the error answer, such as {@code Allow} for a 405. */
    public Map<String, String> headers() {
        return headers;
    }
}
