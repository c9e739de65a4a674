package io.weft.control.store.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where the etcd store is.
 *
 * @param endpoints etcd's client URLs, {@code http://host:2379}; any member will do, the client fails over
 * @param prefix    the keys of this mesh start with it, so one etcd can hold several meshes; ends with {@code /}
 * @param timeout   how long one etcd call may take before etcd counts as unavailable
 */
public record EtcdSettings(List<URI> endpoints, String prefix, Duration timeout) {

    public static final String DEFAULT_PREFIX = "/weft/";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoints given");
        }
        for (URI endpoint : endpoints) {
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())
                    || endpoint.getHost() == null || endpoint.getPort() < 0) {
                throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' is not http(s)://host:port");
            }
        }
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.startsWith("/") || prefix.length() < 2) {
            throw new IllegalArgumentException("etcd prefix '" + prefix + "' must start with '/', as /weft/");
        }
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("etcd timeout must be positive, not " + timeout);
        }
    }

    /** Endpoints separated by commas, as {@code http://10.0.0.5:2379,http://10.0.0.6:2379}, and the default prefix. */
    public static EtcdSettings of(String endpoints) {
        return new EtcdSettings(parseEndpoints(endpoints), DEFAULT_PREFIX, DEFAULT_TIMEOUT);
    }

    public EtcdSettings withPrefix(String prefix) {
        return new EtcdSettings(endpoints, prefix, timeout);
    }

    /** @throws IllegalArgumentException naming the endpoint that is not a URL */
    public static List<URI> parseEndpoints(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            try {
                return URI.create(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("etcd endpoint '" + s + "' is not a URL");
            }
        }).toList();
    }

    /** For logs and status: the endpoints, then the prefix. */
    public String describe() {
        return String.join(",", endpoints.stream().map(URI::toString).toList()) + " " + prefix;
    }
}
