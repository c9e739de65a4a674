package io.weft.runtime.engine;

import io.weft.runtime.config.MeshConfig;

import java.util.Collection;
import java.util.Map;

/**
 * An immutable, compiled view of the mesh config. The engine swaps snapshots atomically; a call holds the
 * snapshot it started with until it ends.
 *
 * @param generation increases by one with each snapshot this engine compiles
 */
public record Snapshot(long generation, MeshConfig config, Map<String, ServicePlan> byHost) {

    public static Snapshot empty() {
        return new Snapshot(0, MeshConfig.EMPTY, Map.of());
    }

    /** The service a host name refers to (its name or one of its aliases), or null. */
    public ServicePlan service(String host) {
        return byHost.get(host);
    }

    public Collection<ServicePlan> services() {
        return byHost.values().stream().distinct().toList();
    }
}
