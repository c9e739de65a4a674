package io.weft.sidecar.fuzz;

import io.weft.sidecar.support.Answer;
import io.weft.sidecar.support.H2Responses;
import io.weft.sidecar.support.StrictBackend;
import io.weft.sidecar.support.StrictRequestRules;
import io.weft.sidecar.support.WireExchange;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every fuzzed connection must pass, whatever its bytes: the proxy ends the connection in bounded time;
 * what it sends is a readable sequence of responses; it answers a malformed request with a 4xx (or just closes) and
 * never with a 5xx of its own, except that a well-formed request for a host outside the mesh gets 502 and a request
 * line of another HTTP version (HTTP/2.0 over HTTP/1 framing) gets 505; it never
 * passes on a request that a strict backend refuses, nor more requests than its client got answers for (request
 * smuggling); and neither it nor Netty logs a warning or an error.
 */
final class Verdict {

    private static final Pattern NAMED_HOST = Pattern.compile("^weft sidecar: '(.*)' is not a mesh service");

    private Verdict() {
    }

    /**
     * @param backendRequests HTTP/1.1 requests the backend read during this connection
     * @param warnings        the proxy's and Netty's WARN/ERROR lines during this connection
     */
    static void check(byte[] sent, WireExchange wire, boolean http2, long backendRequests, List<String> warnings) {
        if (!wire.closed()) {
            fail("the proxy kept the connection open after the client had sent everything and half-closed", sent, wire);
        }
        List<Answer> answers;
        try {
            answers = http2 ? H2Responses.parse(wire.received()) : Http1Responses.parse(wire.received());
        } catch (RuntimeException e) {
            throw new AssertionError(describe("unreadable response stream: " + e.getMessage(), sent, wire), e);
        }
        for (Answer a : answers) {
            if (a.fromProxy() && a.status() >= 500 && !routedOutsideTheMesh(a)
                    && !(a.status() == 505 && "http-version-not-supported".equals(a.localReply()))) {
                fail("the proxy answered " + a.status() + " " + a.localReply() + ": " + a.body().strip(), sent, wire);
            }
            if (!a.fromProxy() && a.body().startsWith(StrictBackend.REJECTED)) {
                fail("the proxy passed on a request a strict server must refuse (" + a.body().strip() + ")", sent, wire);
            }
            if (!a.fromProxy() && a.status() >= 500) {
                fail("a 5xx without x-weft-local-reply", sent, wire);
            }
        }
        long relayed = answers.stream().filter(a -> !a.fromProxy() && a.status() >= 200).count();
        // HTTP/2 streams end with the connection, possibly after the backend read them: no count to compare there.
        if (!http2 && backendRequests > relayed) {
            fail("the backend read " + backendRequests + " requests but the client got " + relayed
                    + " answers from it (request smuggling)", sent, wire);
        }
        if (!warnings.isEmpty()) {
            fail("warnings logged: " + warnings, sent, wire);
        }
    }

    /**
     * 502 for a host the mesh does not know is an answer about a well-formed request, if the host the body names is
     * one. An HTTP/2 stream's body may be cut off by the end of the connection: then there is no name to check.
     */
    private static boolean routedOutsideTheMesh(Answer a) {
        if (a.status() != 502 || !"not-a-mesh-service".equals(a.localReply())) {
            return false;
        }
        Matcher m = NAMED_HOST.matcher(a.body());
        return m.find() ? StrictRequestRules.AUTHORITY.matcher(m.group(1)).matches() : a.body().isEmpty();
    }

    private static void fail(String what, byte[] sent, WireExchange wire) {
        throw new AssertionError(describe(what, sent, wire));
    }

    private static String describe(String what, byte[] sent, WireExchange wire) {
        return what + "\n--- sent:\n" + escape(sent) + "\n--- received:\n" + escape(wire.received());
    }

    /** Bytes as Java string text, to paste into a test. */
    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n\n");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c));
            }
        }
        return sb.toString();
    }
}
