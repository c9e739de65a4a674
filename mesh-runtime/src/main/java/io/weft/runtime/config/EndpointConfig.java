package io.weft.runtime.config;

import java.util.Map;

/** A static endpoint: {@code address: host:port}, labels for subsets, and a relative weight (default 1). */
public record EndpointConfig(String address, Map<String, String> labels, Integer weight) {

    public EndpointConfig {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        weight = weight == null ? 1 : weight;
    }
}
