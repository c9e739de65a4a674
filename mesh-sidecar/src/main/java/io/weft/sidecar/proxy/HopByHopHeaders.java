package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Removes the headers that describe one connection and must not cross a proxy (RFC 9110 section 7.6.1). Message
 * framing ({@code Content-Length}, {@code Transfer-Encoding}) stays: bodies are streamed part by part, so the
 * framing the sender chose is the one the receiver gets.
 */
final class HopByHopHeaders {

    private HopByHopHeaders() {
    }

    static void strip(HttpHeaders headers, boolean keepUpgrade) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    named.add(t);
                }
            }
        }
        for (String name : named) {
            if (!(keepUpgrade && name.equalsIgnoreCase("upgrade"))) {
                headers.remove(name);
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        headers.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
        if (!keepUpgrade) {
            headers.remove(HttpHeaderNames.UPGRADE);
        }
        // Only "te: trailers" means something end to end (gRPC); every TE field counts, not just the first.
        boolean trailers = headers.getAll(HttpHeaderNames.TE).stream().flatMap(v -> Arrays.stream(v.split(",")))
                .anyMatch(t -> t.trim().equalsIgnoreCase(HttpHeaderValues.TRAILERS.toString()));
        headers.remove(HttpHeaderNames.TE);
        if (trailers) {
            headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
        for (HttpConversionUtil.ExtensionHeaderNames ext : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(ext.text());
        }
    }
}
