package io.weft.runtime.lb;

import io.weft.api.LoadBalancerProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/** The balancer kinds this runtime knows: Weft's own, plus any found with {@link ServiceLoader}. */
public final class LoadBalancers {

    private final Map<String, LoadBalancerProvider> providers;

    private LoadBalancers(Map<String, LoadBalancerProvider> providers) {
        this.providers = Map.copyOf(providers);
    }

    /** Weft's balancers and those on the class path of {@code loader}. */
    public static LoadBalancers discover(ClassLoader loader) {
        Map<String, LoadBalancerProvider> all = builtIn();
        for (LoadBalancerProvider p : ServiceLoader.load(LoadBalancerProvider.class, loader)) {
            all.putIfAbsent(p.name(), p);
        }
        return new LoadBalancers(all);
    }

    public static LoadBalancers builtInOnly() {
        return new LoadBalancers(builtIn());
    }

    private static Map<String, LoadBalancerProvider> builtIn() {
        Map<String, LoadBalancerProvider> all = new LinkedHashMap<>();
        for (LoadBalancerProvider p : new LoadBalancerProvider[] {
                new RoundRobinBalancer.Provider(), new LeastRequestBalancer.Provider(),
                new RingHashBalancer.Provider(), new RandomBalancer.Provider()}) {
            all.put(p.name(), p);
        }
        return all;
    }

    /** The provider of that name, or null. */
    public LoadBalancerProvider get(String name) {
        return providers.get(name);
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(providers.keySet());
    }
}
