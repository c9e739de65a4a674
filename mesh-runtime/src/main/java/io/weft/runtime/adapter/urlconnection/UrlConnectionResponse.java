package io.weft.runtime.adapter.urlconnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answer of one attempt: an endpoint's real connection, or a reply the mesh made itself. */
abstract class UrlConnectionResponse {

    abstract int status();

    abstract String message();

    /** Headers as {@link HttpURLConnection#getHeaderFields()} gives them: the status line under the null key. */
    abstract Map<String, List<String>> headers();

    /** The key of the n-th header, null for the status line (n = 0) and past the end. */
    abstract String headerKey(int n);

    abstract String headerValue(int n);

    /** The body: the input stream below 400, the error stream from 400 on. */
    abstract InputStream body() throws IOException;

    abstract void close();

    static UrlConnectionResponse of(HttpURLConnection connection) throws IOException {
        int status = connection.getResponseCode();
        return new Real(connection, status);
    }

    static UrlConnectionResponse local(int status, String reason, Map<String, String> headers, byte[] body) {
        return new Local(status, reason, headers, body);
    }

    private static final class Real extends UrlConnectionResponse {
        private final HttpURLConnection connection;
        private final int status;

        Real(HttpURLConnection connection, int status) {
            this.connection = connection;
            this.status = status;
        }

        @Override
        int status() {
            return status;
        }

        @Override
        String message() {
            try {
                return connection.getResponseMessage();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        Map<String, List<String>> headers() {
            return connection.getHeaderFields();
        }

        @Override
        String headerKey(int n) {
            return connection.getHeaderFieldKey(n);
        }

        @Override
        String headerValue(int n) {
            return connection.getHeaderField(n);
        }

        @Override
        InputStream body() throws IOException {
            return status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        }

        @Override
        void close() {
            // Drain and close rather than disconnect, so the JDK can keep the connection alive for reuse.
            try (InputStream in = body()) {
                if (in != null) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            } catch (IOException e) {
                connection.disconnect();
            }
        }
    }

    private static final class Local extends UrlConnectionResponse {
        private final int status;
        private final String reason;
        private final List<String> keys = new ArrayList<>();
        private final List<String> values = new ArrayList<>();
        private final Map<String, List<String>> headers;
        private final byte[] body;

        Local(int status, String reason, Map<String, String> headerMap, byte[] body) {
            this.status = status;
            this.reason = reason;
            this.body = body;
            keys.add(null);
            values.add("HTTP/1.1 " + status + " " + reason);
            Map<String, List<String>> all = new LinkedHashMap<>();
            all.put(null, List.of(values.get(0)));
            headerMap.forEach((k, v) -> {
                keys.add(k);
                values.add(v);
                all.put(k, List.of(v));
            });
            this.headers = Collections.unmodifiableMap(all);
        }

        @Override
        int status() {
            return status;
        }

        @Override
        String message() {
            return reason;
        }

        @Override
        Map<String, List<String>> headers() {
            return headers;
        }

        @Override
        String headerKey(int n) {
            return n >= 0 && n < keys.size() ? keys.get(n) : null;
        }

        @Override
        String headerValue(int n) {
            return n >= 0 && n < values.size() ? values.get(n) : null;
        }

        @Override
        InputStream body() {
            return new ByteArrayInputStream(body);
        }

        @Override
        void close() {
        }
    }
}
