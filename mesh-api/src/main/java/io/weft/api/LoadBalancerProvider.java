package io.weft.api;

import java.util.List;
import java.util.Map;

/**
 * Makes {@link LoadBalancer}s of one kind, named in config as {@code policy.loadBalancer.type}.
 * Weft's own kinds are {@code round-robin}, {@code least-request}, {@code ring-hash} and {@code random};
 * more can be added with {@link java.util.ServiceLoader} under {@code META-INF/services/io.weft.api.LoadBalancerProvider}.
 */
public interface LoadBalancerProvider {

    /** The name used in config, such as {@code least-request}. */
    String name();

    /**
     * Makes a balancer over a non-empty list of candidates.
     *
     * @param options the balancer's options from config (for example {@code hashHeader}), never null
     */
    LoadBalancer create(List<? extends LoadBalancer.Candidate> candidates, Map<String, String> options);

    /** Rejects options this kind does not understand, with a message naming the option; called at config load. */
    default void validate(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("load balancer '" + name() + "' takes no options, got " + options.keySet());
        }
    }
}
