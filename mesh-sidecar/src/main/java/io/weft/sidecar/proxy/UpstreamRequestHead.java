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

import io.weft.api.Endpoint;

import java.util.Map;

/** The request head one attempt sends upstream: a fresh copy per attempt, so a retry starts from the original. */
final class UpstreamRequestHead {

    private UpstreamRequestHead() {
    }

    /**
     * @param endpoint  the instance this attempt goes to: the Host of a request that names none (HTTP/1.0)
     * @param extra     headers the engine adds to this attempt (trace context)
     * @param bodyless  the request has no body: sent as a complete message (HTTP/2: HEADERS with END_STREAM)
     * @param websocket keep the upgrade handshake's {@code Connection}/{@code Upgrade}
     */
    static HttpRequest of(HttpRequest downstream, Endpoint endpoint, Map<String, String> extra, boolean bodyless, boolean websocket) {
        HttpHeaders headers = downstream.headers().copy();
        HopByHopHeaders.strip(headers, false);
        // Answered here (100 Continue, else 417; HTTP/1.0 ones are ignored): an upstream answering an expectation
        // itself may take the body that follows for the next request on the connection.
        headers.remove(HttpHeaderNames.EXPECT);
        if (websocket) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET); // the one upgrade carried, whatever else was asked
        }
        // An absolute-form target names the authority; a Host header beside it is ignored (RFC 9112 section 3.2.2),
        // so that the upstream reads the same destination as the one the request was routed by.
        if (RequestTarget.isAbsoluteForm(downstream.uri()) || !headers.contains(HttpHeaderNames.HOST)) {
            String authority = RequestTarget.authority(downstream);
            // Only an HTTP/1.0 request names no authority; it goes on as HTTP/1.1, which must carry one Host
            // (RFC 9112 section 3.2): the instance's address, as nginx's $proxy_host.
            headers.set(HttpHeaderNames.HOST, authority != null ? authority : endpoint.address());
        }
        extra.forEach(headers::set);
        String uri = RequestTarget.originForm(downstream.uri());
        return bodyless
                ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, downstream.method(), uri, Unpooled.EMPTY_BUFFER,
                headers, new DefaultHttpHeaders())
                : new DefaultHttpRequest(HttpVersion.HTTP_1_1, downstream.method(), uri, headers);
    }
}
