package io.weft.runtime.admin;

import io.weft.api.OutboundRequest;

import java.util.Locale;
import java.util.Map;

/** A request described by the admin port's query string, to ask the engine how it would route it. */
record ExplainRequest(String method, String path, Map<String, String> headers) implements OutboundRequest {

    ExplainRequest {
        method = method.toUpperCase(Locale.ROOT);
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
