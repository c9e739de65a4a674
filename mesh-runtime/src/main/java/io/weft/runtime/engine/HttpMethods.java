package io.weft.runtime.engine;

/** What the engine and the adapters need to know of a request method. */
public final class HttpMethods {

    private HttpMethods() {
    }

    /** Idempotent by RFC 9110 section 9.2.2: running such a request twice has the effect of running it once. */
    public static boolean isIdempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}
