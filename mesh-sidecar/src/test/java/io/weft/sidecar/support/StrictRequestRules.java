package io.weft.sidecar.support;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an RFC 9110/9112-strict origin server refuses, as the fuzz backend checks every request the proxy forwards.
 * Netty's decoder is lenient where these rules are not, so a request that breaks one was malformed on arrival and
 * the proxy should have answered 400 itself rather than pass it on (the stuff of request smuggling).
 */
public final class StrictRequestRules {

    /** RFC 3986 host (IP-literal, IPv4 or reg-name, with percent-encoding) and an optional port. */
    public static final Pattern AUTHORITY = Pattern.compile(
            "(\\[[0-9A-Za-z:.\\-_~!$&'()*+,;=]+]|([A-Za-z0-9\\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(:[0-9]*)?");
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "upgrade");

    private StrictRequestRules() {
    }

    /** Why a strict server would refuse {@code request}, or null when it would not. */
    public static String problem(HttpRequest request, boolean http2) {
        HttpHeaders h = request.headers();
        if (!http2 && !HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
            return "forwarded as " + request.protocolVersion();
        }
        List<String> hosts = h.getAll(HttpHeaderNames.HOST);
        if (hosts.size() != 1) {
            return hosts.size() + " Host headers";
        }
        if (!AUTHORITY.matcher(hosts.get(0)).matches()) {
            return "invalid Host '" + hosts.get(0) + "'";
        }
        String target = request.uri();
        boolean targetForm = target.startsWith("/")
                || HttpMethod.OPTIONS.equals(request.method()) && target.equals("*")
                || HttpMethod.CONNECT.equals(request.method()) && AUTHORITY.matcher(target).matches();
        if (!targetForm || target.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            return "invalid request target '" + target + "'";
        }
        List<String> codings = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty() && !(codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase("chunked"))) {
            return "Transfer-Encoding " + codings;
        }
        if (!codings.isEmpty() && h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return "both Transfer-Encoding and Content-Length";
        }
        for (Map.Entry<String, String> e : h) {
            String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
            boolean websocket = name.equals("upgrade") && e.getValue().equalsIgnoreCase("websocket")
                    || name.equals("connection") && e.getValue().equalsIgnoreCase("upgrade");
            if (HOP_BY_HOP.contains(name) && !websocket || name.equals("te") && !e.getValue().equalsIgnoreCase("trailers")) {
                return "hop-by-hop header " + name + " forwarded";
            }
            if (e.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                return "CR, LF or NUL in " + name;
            }
        }
        return null;
    }
}
