package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The request heads RFC 9110/9112 say a server must refuse with 400 and Netty's decoder lets through: a target that
 * is no path, absolute URI, {@code *} or CONNECT's {@code host:port} (or has bytes outside visible ASCII), no Host
 * (HTTP/1.1) or more than one, a Host or URI authority that is not one, a transfer coding other than chunked. Passed on, an upstream could read a different request, or a different
 * destination, than the one the proxy routed (the stuff of request smuggling); so they are answered here.
 */
final class RequestChecks {

    /** RFC 3986 authority without userinfo: IP-literal, IPv4 or reg-name (percent-encoding allowed), optional port. */
    private static final Pattern AUTHORITY = Pattern.compile(
            "(\\[[0-9A-Za-z:.\\-_~!$&'()*+,;=]+]|([A-Za-z0-9\\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(:[0-9]*)?");

    private RequestChecks() {
    }

    /** What is wrong with the head, or null when nothing is. HTTP/2 heads have been through Netty's stricter checks. */
    static String problem(HttpRequest head, boolean http2) {
        String target = head.uri();
        if (!target.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            return "the request target has bytes outside visible ASCII";
        }
        String uriAuthority = RequestTarget.uriAuthority(target);
        if (HttpMethod.CONNECT.equals(head.method())) {
            if (!AUTHORITY.matcher(target).matches() || !target.matches(".*:[0-9]+")) {
                return "a CONNECT target that is not host:port";
            }
        } else if (uriAuthority != null) {
            if (uriAuthority.indexOf('@') >= 0 || !AUTHORITY.matcher(uriAuthority).matches()) {
                return "the request target's authority is not a host[:port]";
            }
        } else if (!target.startsWith("/") && !(target.equals("*") && HttpMethod.OPTIONS.equals(head.method()))) {
            return "the request target is not a path, an absolute URI, * (OPTIONS) or host:port (CONNECT)";
        }
        List<String> hosts = head.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return "more than one Host header";
        }
        if (hosts.isEmpty() && uriAuthority == null && !HttpVersion.HTTP_1_0.equals(head.protocolVersion())) {
            return "no Host header"; // optional in HTTP/1.0 only; HTTP/2's :authority arrives as Host
        }
        if (hosts.size() == 1 && !AUTHORITY.matcher(hosts.get(0)).matches()) {
            return "the Host header is not a host[:port]";
        }
        if (!http2 && head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) && !chunkedOnly(head)) {
            return "a Transfer-Encoding other than chunked (HTTP/1.1)";
        }
        return null;
    }

    /**
     * A request line of an HTTP version other than 1.0 and 1.1 on an HTTP/1 connection ({@code HTTP/2.0}, say): its
     * framing is not that version's, so it is refused (505) rather than passed on as something it is not.
     */
    static boolean unsupportedVersion(HttpRequest head, boolean http2) {
        HttpVersion v = head.protocolVersion();
        return !http2 && !HttpVersion.HTTP_1_1.equals(v) && !HttpVersion.HTTP_1_0.equals(v);
    }

    /**
     * An HTTP/1.1 expectation other than {@code 100-continue}, which the codec's handler has answered and removed by
     * now: refused here (417), as an upstream that refused it itself might take the body that follows for the next
     * request on the connection.
     */
    static boolean unsupportedExpectation(HttpRequest head, boolean http2) {
        return !http2 && HttpVersion.HTTP_1_1.equals(head.protocolVersion()) && head.headers().contains(HttpHeaderNames.EXPECT);
    }

    private static boolean chunkedOnly(HttpRequest head) {
        List<String> codings = head.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        return HttpVersion.HTTP_1_1.equals(head.protocolVersion()) && codings.size() == 1
                && codings.get(0).trim().equalsIgnoreCase("chunked");
    }
}
