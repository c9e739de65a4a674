package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

import java.util.Locale;

/**
 * Reads where a request is going: the absolute-form URI of a forward-proxy request ({@code GET http://orders/x}),
 * else the {@code Host} header (or HTTP/2 {@code :authority}, which Netty maps to it).
 */
public final class RequestTarget {

    private RequestTarget() {
    }

    static boolean isAbsoluteForm(String uri) {
        return uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8);
    }

    /** The authority of an absolute-form target as written (with any userinfo), or null for the other forms. */
    static String uriAuthority(String uri) {
        if (!isAbsoluteForm(uri)) {
            return null;
        }
        int start = uri.indexOf("//") + 2;
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        return uri.substring(start, end);
    }

    /** {@code host[:port]} as the client named it, or null. */
    static String authority(HttpRequest request) {
        String fromUri = uriAuthority(request.uri());
        if (fromUri != null) {
            int at = fromUri.lastIndexOf('@');
            return at >= 0 ? fromUri.substring(at + 1) : fromUri;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        return host == null || host.isBlank() ? null : host.trim();
    }

    /** The host without port, lower case, as the engine names services; null when the request names none. */
    static String host(HttpRequest request) {
        String authority = authority(request);
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        String host;
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            host = end < 0 ? authority : authority.substring(1, end);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
        }
        return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    }

    /** The request target in origin form ({@code /path?query}), as an upstream expects it. */
    static String originForm(String uri) {
        if (isAbsoluteForm(uri)) {
            int start = uri.indexOf("//") + 2;
            int slash = start;
            while (slash < uri.length() && "/?#".indexOf(uri.charAt(slash)) < 0) {
                slash++;
            }
            String rest = uri.substring(slash);
            if (rest.isEmpty()) {
                return "/";
            }
            return rest.charAt(0) == '/' ? rest : "/" + rest;
        }
        return uri.isEmpty() ? "/" : uri;
    }

    /** The path without query or fragment. */
    public static String path(String uri) {
        String origin = originForm(uri);
        int end = origin.length();
        int q = origin.indexOf('?');
        if (q >= 0) {
            end = q;
        }
        int h = origin.indexOf('#');
        if (h >= 0 && h < end) {
            end = h;
        }
        String p = origin.substring(0, end);
        return p.isEmpty() ? "/" : p;
    }
}
