package io.weft.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** An HTTP request for {@link MeshClient}: method, absolute URL, headers and an optional body. Immutable. */
public final class MeshRequest implements OutboundRequest {

    private final String method;
    private final URI uri;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String contentType;

    private MeshRequest(Builder b) {
        this.method = b.method;
        this.uri = b.uri;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        b.headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = b.body;
        this.contentType = b.contentType;
    }

    public static Builder get(String url) {
        return new Builder("GET", url);
    }

    public static Builder post(String url, String contentType, byte[] body) {
        return new Builder("POST", url).body(contentType, body);
    }

    public static Builder post(String url, String contentType, String body) {
        return post(url, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Builder newBuilder(String method, String url) {
        return new Builder(method, url);
    }

    @Override
    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    @Override
    public String path() {
        String p = uri.getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    /** Header names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body, or null for a request without one. */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    public String contentType() {
        return contentType;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }

    public static final class Builder {
        private final String method;
        private final URI uri;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body;
        private String contentType;

        private Builder(String method, String url) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            if (!method.matches("[A-Za-z]+")) {
                throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
            }
            this.method = method.toUpperCase(Locale.ROOT);
            URI parsed;
            try {
                parsed = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + url + "' is not a valid URL: " + e.getMessage(), e);
            }
            String scheme = parsed.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || parsed.getHost() == null) {
                throw new IllegalArgumentException("'" + url + "' is not an absolute http(s) URL such as http://orders/path");
            }
            this.uri = parsed;
        }

        /** Adds a header value; names are case-insensitive. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(value, "value");
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(value);
            return this;
        }

        public Builder body(String contentType, byte[] body) {
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            this.body = body.clone();
            return this;
        }

        public MeshRequest build() {
            return new MeshRequest(this);
        }
    }
}
