package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Turns an upstream's response head into the one the downstream gets (in place: the head is ours by now). */
final class DownstreamResponseHead {

    private DownstreamResponseHead() {
    }

    /**
     * @param keepAlive whether the downstream HTTP/1.1 connection stays open after this response
     */
    static HttpResponse of(HttpResponse upstream, HttpMethod method, boolean http2, boolean keepAlive) {
        HopByHopHeaders.strip(upstream.headers(), false);
        if (http2) {
            return upstream; // the HTTP/2 codec frames it; connection headers are not allowed there anyway
        }
        upstream.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!keepAlive) {
            upstream.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        // An HTTP/1.0 upstream (python's http.server) ends its body by closing; our client gets it chunked.
        if (hasBody(upstream, method) && !HttpUtil.isContentLengthSet(upstream)
                && !HttpUtil.isTransferEncodingChunked(upstream)) {
            HttpUtil.setTransferEncodingChunked(upstream, true);
        }
        return upstream;
    }

    private static boolean hasBody(HttpResponse r, HttpMethod method) {
        int code = r.status().code();
        return !HttpMethod.HEAD.equals(method) && code >= 200 && code != 204 && code != 304;
    }
}
