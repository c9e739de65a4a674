package io.weft.control.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/** A request the API answers with an error status and an {@code ErrorMessage}; carries no stack trace. */
public final class ApiException extends Exception {

    private final HttpResponseStatus status;
    private final Map<String, String> headers;
    private final Object body;

    public ApiException(HttpResponseStatus status, String message, Map<String, String> headers) {
        this(status, message, headers, null);
    }

    /** @param body the JSON body of the answer, when it says more than an {@code ErrorMessage} (a 409's revision) */
    public ApiException(HttpResponseStatus status, String message, Map<String, String> headers, Object body) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body;
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

    /** The answer's body, or null for an {@code ErrorMessage} of the message. */
    public Object body() {
        return body;
    }

    /** Extra headers of the error answer, such as {@code Allow} for a 405. */
    public Map<String, String> headers() {
        return headers;
    }
}
