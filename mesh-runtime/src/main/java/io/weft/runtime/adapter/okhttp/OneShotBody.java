package io.weft.runtime.adapter.okhttp;

import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

import java.io.IOException;

/**
 * A request body that tells OkHttp it may be sent once. Attempts of non-idempotent requests carry their body in
 * one: OkHttp's {@code retryOnConnectionFailure} then never sends such a request again by itself (it would, on
 * another pooled connection to the same endpoint, after a first one failed once the request had left), and
 * whether to try again is the engine's call alone, made knowing the request may have run. OkHttp also stops
 * following a 307 or 308 for it: the app gets that answer.
 */
final class OneShotBody extends RequestBody {

    private final RequestBody body;

    private OneShotBody(RequestBody body) {
        this.body = body;
    }

    /** {@code body} marked one-shot, or as it is when it is null or one-shot already. */
    static RequestBody of(RequestBody body) {
        return body == null || body.isOneShot() ? body : new OneShotBody(body);
    }

    @Override
    public MediaType contentType() {
        return body.contentType();
    }

    @Override
    public long contentLength() throws IOException {
        return body.contentLength();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        body.writeTo(sink);
    }

    @Override
    public boolean isDuplex() {
        return body.isDuplex();
    }

    @Override
    public boolean isOneShot() {
        return true;
    }
}
