package io.weft.runtime.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a request must have for a route to match; every given condition must hold. */
public record MatchConfig(StringMatch path, List<String> methods, Map<String, StringMatch> headers) {

    public static final MatchConfig ANY = new MatchConfig(null, null, null);

    public MatchConfig {
        methods = methods == null ? List.of() : List.copyOf(methods);
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(headers));
    }
}
