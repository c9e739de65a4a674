package io.weft.api;

import java.util.Map;
import java.util.Objects;

/**
 * One instance of a service: where it listens and what it is (labels such as {@code version} or {@code zone}).
 *
 * @param host   IP address or host name to connect to
 * @param port   TCP port, 1..65535
 * @param labels free-form labels; subsets select endpoints by them
 * @param weight relative share of traffic for weighted balancers, at least 1
 */
public record Endpoint(String host, int port, Map<String, String> labels, int weight) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("endpoint host is blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port " + port + " is outside 1..65535");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("endpoint weight " + weight + " must be at least 1");
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static Endpoint of(String host, int port) {
        return new Endpoint(host, port, Map.of(), 1);
    }

    public static Endpoint of(String host, int port, Map<String, String> labels) {
        return new Endpoint(host, port, labels, 1);
    }

    /** {@code host:port}, the key that identifies this endpoint within its service. */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    public String label(String name) {
        return labels.get(name);
    }

    @Override
    public String toString() {
        return labels.isEmpty() ? address() : address() + labels;
    }
}
