package io.weft.runtime.engine;

import io.weft.api.DiscoverySource;
import io.weft.api.Endpoint;
import io.weft.api.Explanation;
import io.weft.api.OutboundRequest;
import io.weft.api.ServiceName;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.lb.LoadBalancers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.runtime.security.UpstreamTls;
import io.weft.runtime.security.WorkloadIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The data-plane engine: holds the current {@link Snapshot} and starts {@link MeshCall}s against it. Every
 * adapter goes through here, so each policy is written once. Config changes and discovery updates compile a new
 * snapshot off the hot path and swap it in atomically; calls never take a lock.
 */
public final class MeshEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MeshEngine.class);

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.empty());
    private final SnapshotCompiler compiler;
    private final ScheduledExecutorService scheduler;
    private final List<DiscoverySource> discoverySources;
    private final List<CallListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CallListener listener;
    private volatile AttemptTracer tracer;
    private volatile WorkloadIdentity identity;
    private final Object compileLock = new Object();
    /** Endpoints reported by discovery sources: service → source index → endpoints. */
    private final Map<String, Map<Integer, List<Endpoint>>> discovered = new ConcurrentHashMap<>();
    private final Map<String, List<AutoCloseable>> watches = new HashMap<>();
    private final List<Consumer<Snapshot>> snapshotListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private MeshConfig config = MeshConfig.EMPTY;
    private final MeshEventBus events = new MeshEventBus();

    public MeshEngine(LoadBalancers balancers, ScheduledExecutorService scheduler, List<DiscoverySource> discoverySources,
                      List<String> hostSuffixes) {
        this.compiler = new SnapshotCompiler(balancers, scheduler, hostSuffixes, events);
        this.scheduler = scheduler;
        this.discoverySources = List.copyOf(discoverySources);
    }

    /** Applies a validated config: compiles it and swaps it in. Calls in flight finish on their old snapshot. */
    public Snapshot apply(MeshConfig newConfig) {
        synchronized (compileLock) {
            config = newConfig;
            updateWatches(newConfig);
            return recompile();
        }
    }

    public Snapshot snapshot() {
        return snapshot.get();
    }

    /** Whether calls to this host go through the mesh. */
    public boolean isMeshHost(String host) {
        return snapshot.get().service(host) != null;
    }

    /**
     * Starts a call to {@code host}, choosing its route and destination now; null when the host is not a mesh
     * service, in which case the adapter sends the request as it is.
     */
    public MeshCall newCall(String host, OutboundRequest request) {
        ServicePlan plan = snapshot.get().service(host);
        if (plan == null) {
            return null;
        }
        CompiledRoute route = plan.route(request);
        UpstreamTls tls = null;
        String noTls = null;
        if (plan.mtls) {
            WorkloadIdentity id = identity;
            tls = id == null ? null : id.upstream(plan.serviceName);
            if (tls == null) {
                noTls = id == null ? "this workload has no mesh identity (no control plane, or none configured)"
                        : id.unavailableReason();
            }
        }
        return new MeshCall(plan, route, request, listener, scheduler, tracer, tls, noTls);
    }

    /** How to reach {@code plan}'s endpoints over mTLS now; null when this workload has no valid certificate. */
    public UpstreamTls upstreamTls(ServicePlan plan) {
        WorkloadIdentity id = identity;
        return id == null ? null : id.upstream(plan.serviceName);
    }

    /** Where calls to services that take mTLS get their certificates; without one those calls are refused. */
    public void identity(WorkloadIdentity identity) {
        this.identity = identity;
    }

    /** Says how a request to {@code host} would be handled now, without sending it. */
    public Explanation explain(String host, OutboundRequest request) {
        return Explainer.explain(snapshot.get(), host, request);
    }

    public void addListener(CallListener l) {
        listeners.add(l);
        updateListener();
    }

    public void removeListener(CallListener l) {
        listeners.remove(l);
        updateListener();
    }

    /** Traces every attempt from now on; null turns tracing off. */
    public void tracer(AttemptTracer tracer) {
        this.tracer = tracer;
    }

    /** Subscribes to breaker transitions, ejections and refused retries, from now on. */
    public void addEvents(MeshEvents subscriber) {
        events.add(subscriber);
    }

    public void removeEvents(MeshEvents subscriber) {
        events.remove(subscriber);
    }

    /** Called with every new snapshot, after it is in force. */
    public void onSnapshot(Consumer<Snapshot> l) {
        snapshotListeners.add(l);
    }

    private void updateListener() {
        List<CallListener> now = List.copyOf(listeners);
        listener = now.isEmpty() ? null : now.size() == 1 ? now.get(0) : call -> {
            for (CallListener l : now) {
                l.onCallEnd(call);
            }
        };
    }

    private Snapshot recompile() {
        Map<String, List<Endpoint>> merged = new HashMap<>();
        discovered.forEach((service, bySource) -> {
            List<Endpoint> all = new ArrayList<>();
            new java.util.TreeMap<>(bySource).values().forEach(all::addAll);
            merged.put(service, all);
        });
        Snapshot next = compiler.compile(config, merged);
        snapshot.set(next);
        log.debug("snapshot {} in force: {} services", next.generation(), next.config().services().size());
        for (Consumer<Snapshot> l : snapshotListeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                log.warn("snapshot listener failed", e);
            }
        }
        return next;
    }

    private void updateWatches(MeshConfig newConfig) {
        if (discoverySources.isEmpty()) {
            return;
        }
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        newConfig.services().forEach(s -> wanted.put(s.service(), true));
        watches.entrySet().removeIf(e -> {
            if (wanted.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().forEach(MeshEngine::closeQuietly);
            discovered.remove(e.getKey());
            return true;
        });
        for (String service : wanted.keySet()) {
            if (watches.containsKey(service)) {
                continue;
            }
            List<AutoCloseable> handles = new ArrayList<>();
            for (int i = 0; i < discoverySources.size(); i++) {
                int source = i;
                try {
                    handles.add(discoverySources.get(i).watch(ServiceName.of(service),
                            endpoints -> onDiscovered(service, source, endpoints)));
                } catch (RuntimeException e) {
                    log.warn("discovery source {} cannot watch {}: {}", discoverySources.get(i), service, e.toString());
                }
            }
            watches.put(service, handles);
        }
    }

    private void onDiscovered(String service, int source, List<Endpoint> endpoints) {
        synchronized (compileLock) {
            if (!watches.containsKey(service)) {
                return;
            }
            discovered.computeIfAbsent(service, s -> new ConcurrentHashMap<>()).put(source, List.copyOf(endpoints));
            recompile();
        }
    }

    @Override
    public void close() {
        synchronized (compileLock) {
            watches.values().forEach(list -> list.forEach(MeshEngine::closeQuietly));
            watches.clear();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing discovery watch failed", e);
        }
    }
}
