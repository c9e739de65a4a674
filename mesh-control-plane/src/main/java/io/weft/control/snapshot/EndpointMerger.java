package io.weft.control.snapshot;

import io.weft.control.registry.RegisteredInstance;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.config.ServiceConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges registered instances into the YAML config: a configured service gets them appended to its static
 * endpoints (a static address wins over a registered one); a service known only from registrations gets a
 * minimal config with just its endpoints, so that it takes every default policy.
 */
public final class EndpointMerger {

    private EndpointMerger() {
    }

    public static List<ServiceConfig> merge(MeshConfig config, Collection<RegisteredInstance> instances) {
        Map<String, List<RegisteredInstance>> byService = new TreeMap<>();
        instances.stream()
                .sorted(Comparator.comparing(RegisteredInstance::endpoint).thenComparing(RegisteredInstance::id))
                .forEach(i -> byService.computeIfAbsent(i.service(), k -> new ArrayList<>()).add(i));

        List<ServiceConfig> merged = new ArrayList<>();
        for (ServiceConfig service : config.services()) {
            List<RegisteredInstance> registered = byService.remove(service.service());
            merged.add(registered == null ? service : withEndpoints(service, registered));
        }
        byService.forEach((name, registered) ->
                merged.add(withEndpoints(new ServiceConfig(name, null, null, null, null), registered)));
        merged.sort(Comparator.comparing(ServiceConfig::service));
        return List.copyOf(merged);
    }

    private static ServiceConfig withEndpoints(ServiceConfig service, List<RegisteredInstance> registered) {
        List<EndpointConfig> endpoints = new ArrayList<>(service.endpoints());
        Set<String> addresses = new HashSet<>();
        endpoints.forEach(e -> addresses.add(e.address()));
        for (RegisteredInstance instance : registered) {
            if (addresses.add(instance.endpoint())) {
                endpoints.add(new EndpointConfig(instance.endpoint(), instance.labels(), 1));
            }
        }
        return new ServiceConfig(service.service(), endpoints, service.subsets(), service.routes(), service.policy(),
                service.authorization());
    }
}
