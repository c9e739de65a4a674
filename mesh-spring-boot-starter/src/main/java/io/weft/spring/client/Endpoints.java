package io.weft.spring.client;

import io.weft.api.Endpoint;

import java.net.URI;

/** The request's URL pointed at one endpoint: same scheme, path and query, the endpoint's host and port. */
final class Endpoints {

    private Endpoints() {
    }

    static URI pointAt(URI uri, Endpoint endpoint) {
        StringBuilder sb = new StringBuilder(uri.getScheme()).append("://").append(endpoint.address());
        sb.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        return URI.create(sb.toString());
    }
}
