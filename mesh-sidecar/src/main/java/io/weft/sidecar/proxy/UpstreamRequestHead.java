package io.weft.sidecar.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Map;

/** The request head one attempt sends upstream: a fresh copy per attempt, so a retry starts from the original. */
final class UpstreamRequestHead {

    private UpstreamRequestHead() {
    }

    /**
     * @param extra     headers the engine adds to this attempt (trace context)
     * @param bodyless  the request has no body: sent as a complete message (HTTP/2: HEADERS with END_STREAM)
     * @param websocket keep the upgrade handshake's {@code Connection}/{@code Upgrade}
     */
    static HttpRequest of(HttpRequest downstream, Map<String, String> extra, boolean bodyless, boolean websocket) {
        HttpHeaders headers = downstream.headers().copy();
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        HopByHopHeaders.strip(headers, false);
        if (websocket) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        if (!headers.contains(HttpHeaderNames.HOST)) {
            String authority = RequestTarget.authority(downstream);
            if (authority != null) {
                headers.set(HttpHeaderNames.HOST, authority);
            }
        }
        extra.forEach(headers::set);
        String uri = RequestTarget.originForm(downstream.uri());
        return bodyless
                ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, downstream.method(), uri, Unpooled.EMPTY_BUFFER,
                headers, new DefaultHttpHeaders())
                : new DefaultHttpRequest(HttpVersion.HTTP_1_1, downstream.method(), uri, headers);
    }
}
