package io.weft.runtime.control;

import io.weft.runtime.config.ServiceConfig;

import java.util.List;

/**
 * The body of {@code GET /v1/snapshot}: the whole mesh config a caller needs, with registered instances merged
 * into each service's endpoints.
 *
 * @param version     increases with every change the control plane publishes; seeded from the clock at start so
 *                    a restarted control plane never goes back
 * @param hash        SHA-256 of the services, also the ETag
 * @param generatedAt when this version was made, ISO-8601
 */
public record SnapshotMessage(long version, String hash, String generatedAt, List<ServiceConfig> services) {

    public SnapshotMessage {
        services = services == null ? List.of() : List.copyOf(services);
    }
}
