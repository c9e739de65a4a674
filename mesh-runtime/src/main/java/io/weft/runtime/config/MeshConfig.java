package io.weft.runtime.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The whole mesh config as the runtime applies it: one entry per service. Immutable; validated by
 * {@link ConfigValidator} before any engine sees it.
 */
public record MeshConfig(List<ServiceConfig> services) {

    public static final MeshConfig EMPTY = new MeshConfig(List.of());

    public MeshConfig {
        services = services == null ? List.of()
                : services.stream().sorted(Comparator.comparing(ServiceConfig::service)).toList();
    }

    public Optional<ServiceConfig> service(String name) {
        return services.stream().filter(s -> s.service().equals(name)).findFirst();
    }
}
