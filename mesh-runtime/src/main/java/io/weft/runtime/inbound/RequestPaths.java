package io.weft.runtime.inbound;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path authorization matches: the request's path as a server would map it, so that {@code /%61dmin},
 * {@code /api/../admin}, {@code /./admin} and {@code //admin} cannot slip past a rule on {@code /admin} (Envoy's
 * {@code normalize_path} and {@code merge_slashes}). The query is dropped, percent-escapes are decoded (a broken
 * escape is kept as written), then dot segments are resolved and repeated slashes merged.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "/";
        }
        int end = raw.length();
        int query = raw.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = raw.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        String path = decode(raw.substring(0, end));
        if (path.indexOf("/.") < 0 && path.indexOf("//") < 0 && path.startsWith("/") && !path.equals("/.")) {
            return path;
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String segment : segments) {
            sb.append('/').append(segment);
        }
        boolean directory = path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
        if (sb.length() == 0 || directory) {
            sb.append('/');
        }
        return sb.toString();
    }

    private static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int hi;
            int lo;
            if (c == '%' && i + 2 < path.length() && (hi = Character.digit(path.charAt(i + 1), 16)) >= 0
                    && (lo = Character.digit(path.charAt(i + 2), 16)) >= 0) {
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
