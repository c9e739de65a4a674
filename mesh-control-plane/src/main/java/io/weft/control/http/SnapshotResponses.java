package io.weft.control.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weft.control.snapshot.PublishedSnapshot;

/** The 200 and 304 answers of {@code GET /v1/snapshot}; both name the version and hash in headers. */
final class SnapshotResponses {

    static final String VERSION_HEADER = "X-Weft-Version";

    private SnapshotResponses() {
    }

    /** The published bytes themselves, wrapped, not copied: one serialization serves every caller. */
    static FullHttpResponse ok(PublishedSnapshot snapshot) {
        return withHeaders(Responses.json(HttpResponseStatus.OK, Unpooled.wrappedBuffer(snapshot.body())), snapshot);
    }

    static FullHttpResponse notModified(PublishedSnapshot snapshot) {
        return withHeaders(Responses.empty(HttpResponseStatus.NOT_MODIFIED), snapshot);
    }

    private static FullHttpResponse withHeaders(FullHttpResponse response, PublishedSnapshot snapshot) {
        response.headers()
                .set(HttpHeaderNames.ETAG, snapshot.etag())
                .set(VERSION_HEADER, snapshot.version())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        return response;
    }
}
