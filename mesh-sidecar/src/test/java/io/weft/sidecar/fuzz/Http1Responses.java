package io.weft.sidecar.fuzz;

import io.weft.sidecar.support.Answer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the HTTP/1.1 responses a client received on one connection. The requests are whatever the fuzzer made, so
 * which of them were HEAD is unknown: a declared body that is not there because the next response starts at once
 * is taken as a HEAD answer (no body the backend or the proxy writes starts with {@code HTTP/1.}).
 *
 * @throws IllegalStateException when the bytes are not a sequence of well-formed responses
 */
final class Http1Responses {

    private final byte[] in;
    private int pos;

    private Http1Responses(byte[] in) {
        this.in = in;
    }

    static List<Answer> parse(byte[] received) {
        return new Http1Responses(received).all();
    }

    private List<Answer> all() {
        List<Answer> answers = new ArrayList<>();
        while (pos < in.length) {
            answers.add(next());
        }
        return answers;
    }

    private Answer next() {
        String statusLine = line();
        if (!statusLine.matches("HTTP/1\\.1 [1-5][0-9][0-9]( .*)?")) {
            throw new IllegalStateException("not an HTTP/1.1 status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        String localReply = null;
        long length = -1;
        boolean chunked = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("not a header line: '" + h + "'");
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "x-weft-local-reply" -> localReply = value;
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                default -> {
                }
            }
        }
        String body;
        if (status < 200 || status == 204 || status == 304 || startsWith("HTTP/1.")) {
            body = "";
        } else if (chunked) {
            body = chunkedBody();
        } else {
            body = take(length < 0 ? in.length - pos : (int) length); // no length: until the connection closed
        }
        return new Answer(status, localReply, body);
    }

    private String chunkedBody() {
        StringBuilder body = new StringBuilder();
        for (int size = chunkSize(); size > 0; size = chunkSize()) {
            body.append(take(size));
            if (!line().isEmpty()) {
                throw new IllegalStateException("no CRLF after a chunk");
            }
        }
        while (!line().isEmpty()) {
            // trailers
        }
        return body.toString();
    }

    private int chunkSize() {
        String l = line();
        int ext = l.indexOf(';');
        return Integer.parseInt((ext < 0 ? l : l.substring(0, ext)).trim(), 16);
    }

    private boolean startsWith(String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (in.length - pos < p.length) {
            return pos == in.length; // nothing follows: a HEAD answer ending the connection
        }
        return java.util.Arrays.equals(in, pos, pos + p.length, p, 0, p.length);
    }

    private String take(int n) {
        if (n > in.length - pos) {
            throw new IllegalStateException("body cut short: " + n + " bytes declared, " + (in.length - pos) + " received");
        }
        String s = new String(in, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** One CRLF-terminated line. */
    private String line() {
        for (int i = pos; i + 1 < in.length; i++) {
            if (in[i] == '\r' && in[i + 1] == '\n') {
                String l = new String(in, pos, i - pos, StandardCharsets.ISO_8859_1);
                pos = i + 2;
                return l;
            }
        }
        throw new IllegalStateException("response cut short");
    }
}
