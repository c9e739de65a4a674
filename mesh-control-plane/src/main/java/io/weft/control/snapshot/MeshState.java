package io.weft.control.snapshot;

import io.weft.control.registry.RegisteredInstance;
import io.weft.runtime.config.ServiceConfig;

import java.util.List;

/**
 * What a snapshot is built from, read at one moment so that content and version belong together.
 *
 * @param services        the services, registered instances already merged in
 * @param proposedVersion the version to publish them under if they differ from what is published: the clock for
 *                        the embedded store, the etcd revision they were read at for etcd
 */
public record MeshState(List<ServiceConfig> services, long proposedVersion) {

    public MeshState {
        services = List.copyOf(services);
    }

    /** Merges registered instances into the config, as every store does. */
    public static MeshState of(io.weft.runtime.config.MeshConfig config, List<RegisteredInstance> instances,
                               long proposedVersion) {
        return new MeshState(EndpointMerger.merge(config, instances), proposedVersion);
    }
}
