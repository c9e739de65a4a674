package io.weft.control.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Maps method and path to an {@link Endpoint}. Patterns are literal segments and {@code {name}} placeholders,
 * as {@code /v1/instances/{id}/heartbeat}. A path no route has is a 404; a path with routes for other methods
 * only is a 405 that lists them in {@code Allow}.
 */
public final class Router {

    private final List<Route> routes = new ArrayList<>();

    public Router route(HttpMethod method, String pattern, Endpoint endpoint) {
        routes.add(new Route(method, segments(pattern), endpoint));
        return this;
    }

    Match match(HttpMethod method, String path) throws ApiException {
        String[] segments = segments(path);
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route.endpoint(), params);
            }
            allowed.add(route.method().name());
        }
        if (allowed.isEmpty()) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
        }
        throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED,
                method.name() + " is not allowed on " + path + "; use " + String.join(" or ", allowed),
                Map.of("Allow", String.join(", ", allowed)));
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1);
    }

    record Match(Endpoint endpoint, Map<String, String> params) {
    }

    private record Route(HttpMethod method, String[] pattern, Endpoint endpoint) {

        /** The placeholders' values, or null if the path does not fit the pattern. */
        Map<String, String> match(String[] path) {
            if (path.length != pattern.length) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < pattern.length; i++) {
                String p = pattern[i];
                if (p.startsWith("{") && p.endsWith("}")) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    params.put(p.substring(1, p.length() - 1), path[i]);
                } else if (!p.equals(path[i])) {
                    return null;
                }
            }
            return params;
        }
    }
}
