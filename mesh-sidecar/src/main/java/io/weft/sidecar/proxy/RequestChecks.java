package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;

/**
 * The request heads RFC 9110/9112 say a server must refuse with 400 and Netty's decoder lets through: a target that
 * is no path, absolute URI, {@code *} or CONNECT's {@code host:port} (or has bytes outside visible ASCII), no Host
 * (HTTP/1.1) or more than one, a Host or URI authority that is not one, a transfer coding other than chunked. Passed on, an upstream could read a different request, or a different
 * destination, than the one the proxy routed (the stuff of request smuggling); so they are answered here.
 */
final class RequestChecks {

    /** Characters of a reg-name besides percent-encodings (RFC 3986 unreserved and sub-delims). */
    private static final String REG_NAME_MARKS = "-._~!$&'()*+,;=";

    private RequestChecks() {
    }

    /** What is wrong with the head, or null when nothing is. HTTP/2 heads have been through Netty's stricter checks. */
    static String problem(HttpRequest head, boolean http2) {
        String target = head.uri();
        if (!visibleAscii(target)) {
            return "the request target has bytes outside visible ASCII";
        }
        String uriAuthority = RequestTarget.uriAuthority(target);
        if (HttpMethod.CONNECT.equals(head.method())) {
            if (!isAuthority(target) || !target.matches(".*:[0-9]+")) {
                return "a CONNECT target that is not host:port";
            }
        } else if (uriAuthority != null) {
            if (uriAuthority.indexOf('@') >= 0 || !isAuthority(uriAuthority)) {
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
        if (hosts.size() == 1 && !isAuthority(hosts.get(0))) {
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

    /*
     * Hand-written scans rather than a regex and a stream: they run on every request, and showed in the sidecar's
     * profile (5 % of its CPU under wrk) as a regex.
     */

    private static boolean visibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * An RFC 3986 authority without userinfo: an IP-literal in brackets, or a reg-name (IPv4 included; possibly
     * empty, percent-encoding allowed), then an optional port of digits.
     */
    static boolean isAuthority(String s) {
        int i = 0;
        int n = s.length();
        if (n > 0 && s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (i = 1; i < close; i++) {
                char c = s.charAt(i);
                if (!(isAlnum(c) || c == ':' || REG_NAME_MARKS.indexOf(c) >= 0)) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < n && s.charAt(i) != ':') {
                char c = s.charAt(i);
                if (c == '%') {
                    if (i + 2 >= n || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                        return false;
                    }
                    i += 3;
                } else if (isAlnum(c) || REG_NAME_MARKS.indexOf(c) >= 0) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        if (i == n) {
            return true;
        }
        if (s.charAt(i) != ':') {
            return false;
        }
        for (i++; i < n; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean chunkedOnly(HttpRequest head) {
        List<String> codings = head.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        return HttpVersion.HTTP_1_1.equals(head.protocolVersion()) && codings.size() == 1
                && codings.get(0).trim().equalsIgnoreCase("chunked");
    }
}
