package io.weft.runtime.config;

/** A weighted share of a route's traffic to a subset of the service ({@code subset} empty: all endpoints). */
public record DestinationConfig(String subset, Integer weight) {

    public static final DestinationConfig ALL_ENDPOINTS = new DestinationConfig("", 100);

    public DestinationConfig {
        subset = subset == null ? "" : subset;
        weight = weight == null ? 100 : weight;
    }
}
