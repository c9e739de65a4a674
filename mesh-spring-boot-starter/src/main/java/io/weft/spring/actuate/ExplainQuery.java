package io.weft.spring.actuate;

import io.weft.api.OutboundRequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request described by the endpoint's query parameters ({@code url}, {@code method}, {@code header=name:value}),
 * to ask the engine how it would route it.
 */
record ExplainQuery(String host, String method, String path, Map<String, String> headers) implements OutboundRequest {

    static ExplainQuery parse(String url, String method, List<String> headers) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("explain needs url=http://<service>/<path>; it may take method= and "
                    + "header=name:value (repeatable)");
        }
        URI target;
        try {
            target = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a URI: " + e.getMessage());
        }
        if (target.getHost() == null) {
            throw new IllegalArgumentException("url has no host: " + url);
        }
        Map<String, String> byName = new HashMap<>();
        for (String h : headers == null ? List.<String>of() : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header must be name:value, got '" + h + "'");
            }
            byName.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return new ExplainQuery(target.getHost(), method == null || method.isBlank() ? "GET"
                : method.toUpperCase(Locale.ROOT), path, Map.copyOf(byName));
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
