package io.weft.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response received through {@link MeshClient}, with its body read in full.
 *
 * @param status   the HTTP status code
 * @param headers  header names in lower case
 * @param body     the body bytes, empty when there was none
 * @param endpoint the endpoint that answered, or null when the mesh answered itself (see {@link #localReply()})
 */
public record MeshResponse(int status, Map<String, List<String>> headers, byte[] body, Endpoint endpoint) {

    /** Header set on responses the mesh made itself instead of an endpoint; its value says why. */
    public static final String LOCAL_REPLY_HEADER = "x-weft-local-reply";

    public MeshResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    /** Why the mesh answered itself ({@code rate-limited}, {@code fault-abort}, …), or null for an endpoint's answer. */
    public String localReply() {
        return header(LOCAL_REPLY_HEADER);
    }
}
