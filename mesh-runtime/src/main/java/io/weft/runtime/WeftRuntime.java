package io.weft.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.weft.api.DiscoverySource;
import io.weft.api.MeshClient;
import io.weft.runtime.adapter.okhttp.MeshInterceptor;
import io.weft.runtime.adapter.okhttp.OkHttpMeshClient;
import io.weft.runtime.admin.AdminServer;
import io.weft.runtime.admin.OptionalLibraries;
import io.weft.runtime.admin.PrometheusScrape;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.ConfigValidator;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.control.ConfigStatus;
import io.weft.runtime.control.ControlPlaneReplicas;
import io.weft.runtime.control.ControlPlaneSettings;
import io.weft.runtime.control.InstanceRegistrar;
import io.weft.runtime.control.RegistrationRequest;
import io.weft.runtime.control.SnapshotPoller;
import io.weft.runtime.engine.CallListener;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.Snapshot;
import io.weft.runtime.health.ActiveHealthChecker;
import io.weft.runtime.inbound.InboundAuthorizer;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.WorkloadIdentity;
import io.weft.runtime.telemetry.IdentityMetrics;
import io.weft.runtime.lb.LoadBalancers;
import io.weft.runtime.telemetry.CallMetrics;
import io.weft.runtime.telemetry.ConfigMetrics;
import io.weft.runtime.telemetry.EngineMetrics;
import okhttp3.OkHttpClient;

import io.weft.api.ServiceName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The in-process data plane of one application: engine, health checks, the scheduler they share, and the way
 * config gets in. Make one per process and share it; close it on shutdown.
 *
 * <pre>{@code
 * WeftRuntime runtime = WeftRuntime.builder().configPath(Path.of("mesh")).build();
 * MeshClient client = runtime.client();
 * MeshResponse r = client.execute(MeshRequest.get("http://orders/api/items").build());
 * }</pre>
 */
public final class WeftRuntime implements AutoCloseable {

    private final ScheduledThreadPoolExecutor scheduler;
    private final MeshEngine engine;
    private final ActiveHealthChecker healthChecker;
    private final ConfigLoader loader;
    private final SnapshotPoller poller;
    private final ControlPlaneSettings controlPlane;
    private volatile InstanceRegistrar registrar;
    private final MeterRegistry meterRegistry;
    private final AdminServer admin;
    private final WorkloadIdentity identity;
    private final String service;
    private volatile InboundAuthorizer inbound;

    private WeftRuntime(Builder b) {
        ControlPlaneSettings cp = b.controlPlaneSettings();
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads());
        scheduler.setRemoveOnCancelPolicy(true);
        LoadBalancers balancers = LoadBalancers.discover(WeftRuntime.class.getClassLoader());
        this.loader = new ConfigLoader(new ConfigValidator(balancers));
        this.engine = new MeshEngine(balancers, scheduler, b.discoverySources, b.hostSuffixes);
        this.healthChecker = new ActiveHealthChecker(scheduler, engine::upstreamTls);
        engine.onSnapshot(healthChecker::reconcile);
        b.listeners.forEach(engine::addListener);
        engine.tracer(b.tracer);
        MeshConfig initial = b.config;
        if (initial == null && b.configPath != null) {
            initial = loader.load(b.configPath);
        }
        if (initial == null && b.configResource != null) {
            initial = loader.loadResource(WeftRuntime.class.getClassLoader(), b.configResource);
        }
        engine.apply(initial == null ? MeshConfig.EMPTY : initial);
        this.controlPlane = cp;
        this.service = b.service;
        this.identity = b.identity != null ? b.identity
                : cp != null ? WorkloadIdentity.fromControlPlane(cp, scheduler) : null;
        engine.identity(identity);
        this.poller = cp == null ? null : new SnapshotPoller(cp, engine, loader, scheduler);
        if (poller != null && b.identity == null) {
            poller.onTrustBundle(identity::trustBundle);
        }
        this.registrar = cp == null || b.registration == null ? null
                : new InstanceRegistrar(cp, b.registration, scheduler);
        if (poller != null) {
            poller.start();
        }
        if (registrar != null) {
            registrar.start();
        }
        this.meterRegistry = b.meterRegistry != null ? b.meterRegistry
                : b.adminAddress != null && OptionalLibraries.prometheus() ? PrometheusScrape.newRegistry() : null;
        if (meterRegistry != null) {
            engine.addListener(new CallMetrics(meterRegistry));
            new EngineMetrics(engine).bindTo(meterRegistry);
            new ConfigMetrics(this).bindTo(meterRegistry);
            if (identity != null) {
                new IdentityMetrics(identity).bindTo(meterRegistry);
                identity.tls().inboundRefusals().bindTo(meterRegistry, service != null ? service : "unknown");
            }
        }
        this.admin = b.adminAddress == null ? null : startAdmin(b.adminAddress, b.adminReady);
    }

    private AdminServer startAdmin(InetSocketAddress address, BooleanSupplier ownerReady) {
        Supplier<String> scrape = meterRegistry != null && OptionalLibraries.prometheus()
                ? PrometheusScrape.of(meterRegistry) : null;
        try {
            return AdminServer.start(address, this, scrape, ownerReady);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("Weft admin port " + address.getHostString() + ":" + address.getPort()
                    + " could not be opened: " + e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public MeshEngine engine() {
        return engine;
    }

    /** Reads config the way this runtime validates it (with every balancer it knows). */
    public ConfigLoader configLoader() {
        return loader;
    }

    /** Applies a config that has been validated (by {@link #configLoader()}). */
    public Snapshot apply(MeshConfig config) {
        return engine.apply(config);
    }

    /** Where the config in force came from and how fresh it is; {@code none} without a control plane. */
    public ConfigStatus configStatus() {
        return poller == null ? ConfigStatus.NONE : poller.status();
    }

    /**
     * Waits until a config from the control plane (or its disk cache) is in force; true at once without a control
     * plane. Apps that must not send a request before they know the mesh call this before serving.
     */
    public boolean awaitConfig(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (poller != null && !poller.awaitConfig(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
            return false;
        }
        // The trust bundle arrives with the first config: from then on, the certificate is part of being ready.
        return identity == null || !identity.active()
                || identity.awaitCertificate(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /**
     * This workload's mesh identity: its certificate and the mTLS contexts made from it, for servers that take mTLS
     * ({@link WorkloadIdentity#serverContext()}); null without a control plane or {@link Builder#identity}.
     */
    public WorkloadIdentity identity() {
        return identity;
    }

    /**
     * Authorization of this workload's inbound requests by its service's rules (TLS mode and
     * {@code authorization}), counted in this runtime's meter registry.
     *
     * @throws IllegalStateException without {@link Builder#service}
     */
    public InboundAuthorizer inboundAuthorizer() {
        InboundAuthorizer a = inbound;
        if (a == null) {
            if (service == null) {
                throw new IllegalStateException("inbound authorization needs the name of this workload's service: "
                        + "builder.service(...)");
            }
            synchronized (this) {
                a = inbound;
                if (a == null) {
                    a = new InboundAuthorizer(service, engine, meterRegistry);
                    inbound = a;
                }
            }
        }
        return a;
    }

    /** Control-plane polls or snapshots that failed since start; 0 without a control plane. */
    public long configFailures() {
        return poller == null ? 0 : poller.failures();
    }

    /**
     * Registers this application as an instance of its service and heartbeats until the runtime is closed: for
     * when the address is known only after the runtime is built (a server on a port chosen at start).
     *
     * @throws IllegalStateException without a control plane, or when this runtime is already registered
     */
    public synchronized void register(String address, int port, Map<String, String> labels) {
        if (controlPlane == null) {
            throw new IllegalStateException("register(...) needs a control plane to register with: builder.controlPlane(...)");
        }
        if (registrar != null) {
            throw new IllegalStateException("this runtime already registers an instance (" + registrar.id() + ")");
        }
        InstanceRegistrar r = new InstanceRegistrar(controlPlane,
                new RegistrationRequest(controlPlane.service().value(), address, port, labels), scheduler);
        r.start();
        registrar = r;
    }

    /** Deregisters this instance now (before a server stops taking requests); closing the runtime does it too. */
    public synchronized void deregister() {
        InstanceRegistrar r = registrar;
        registrar = null;
        if (r != null) {
            r.close();
        }
    }

    /** The id this instance registered under, or null. */
    public String instanceId() {
        return registrar == null ? null : registrar.id();
    }

    /** The scheduler of the runtime's timers: one daemon thread, for short tasks only. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** A {@link MeshClient} over a new OkHttp client with default settings, closed with the mesh client. */
    public MeshClient client() {
        return OkHttpMeshClient.create(engine);
    }

    /** A {@link MeshClient} over a client derived from yours (sharing its pool and dispatcher). */
    public MeshClient client(OkHttpClient base) {
        return new OkHttpMeshClient(engine, base);
    }

    /** The interceptor that puts your own OkHttp client in the mesh. */
    /** The registry Weft's meters are in: the app's, or the runtime's own Prometheus one; null when neither. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** The admin port's bound port, or -1 without one. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public MeshInterceptor okHttpInterceptor() {
        return new MeshInterceptor(engine);
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        if (registrar != null) {
            registrar.close();
        }
        if (poller != null) {
            poller.close();
        }
        if (identity != null) {
            identity.close();
        }
        engine.close();
        healthChecker.close();
        scheduler.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "weft-scheduler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static final class Builder {
        private MeshConfig config;
        private Path configPath;
        private String configResource;
        private final List<DiscoverySource> discoverySources = new ArrayList<>();
        private final List<String> hostSuffixes = new ArrayList<>();
        private final List<CallListener> listeners = new ArrayList<>();
        private ControlPlaneReplicas controlPlane;
        private String token;
        private String service;
        private Path cacheDir;
        private Duration pollWait;
        private RegistrationRequest registration;
        private io.weft.runtime.engine.AttemptTracer tracer;
        private MeterRegistry meterRegistry;
        private InetSocketAddress adminAddress;
        private BooleanSupplier adminReady;
        private WorkloadIdentity identity;
        private io.weft.runtime.security.TrustBundle controlPlaneCa;

        private Builder() {
        }

        /**
         * For a control plane that serves its API over TLS ({@code https://}, its {@code --tls}): the PEM file of
         * the CA its certificate chains to ({@code root.pem} in its {@code --ca-dir}, or your organization's
         * root). Tokens and certificate requests then never travel in clear.
         */
        public Builder controlPlaneCa(Path pemFile) {
            this.controlPlaneCa = io.weft.runtime.security.TrustBundle.read(pemFile);
            return this;
        }

        /** As {@link #controlPlaneCa(Path)}, with the certificates in hand. */
        public Builder controlPlaneCa(io.weft.runtime.security.TrustBundle bundle) {
            this.controlPlaneCa = bundle;
            return this;
        }

        /**
         * This workload's identity from {@code source} instead of the control plane's CA: certificates another
         * agent writes, or a fixed one in tests.
         *
         * @param trustDomain of the destination services; null for the certificate's own
         * @param namespace   of the destination services; null for the certificate's own
         */
        public Builder identity(IdentitySource source, String trustDomain, String namespace) {
            this.identity = WorkloadIdentity.fixed(source, trustDomain, namespace);
            return this;
        }

        /** Traces every attempt, for example with {@code new OpenTelemetryTracer(openTelemetry)}. Off by default. */
        public Builder tracer(io.weft.runtime.engine.AttemptTracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /**
         * Records Weft's meters (calls, retries, breakers, ejections, endpoints by state, requests in flight,
         * config freshness) in the app's registry. Without one, a runtime with an admin port keeps a Prometheus
         * registry of its own when micrometer-registry-prometheus is on the class path.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Serves the admin port ({@link AdminServer}) on 127.0.0.1:{@code port}; 0 picks a free port. */
        public Builder adminPort(int port) {
            return admin(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null);
        }

        /**
         * Serves the admin port on {@code address}; {@code ownerReady} (may be null) is what the owner adds to
         * {@code /ready}, such as a proxy's listeners being bound.
         */
        public Builder admin(InetSocketAddress address, BooleanSupplier ownerReady) {
            if (address.getPort() < 0 || address.getPort() > 65535) {
                throw new IllegalArgumentException("admin port must be 0..65535, got " + address.getPort());
            }
            this.adminAddress = address;
            this.adminReady = ownerReady;
            return this;
        }

        /**
         * Takes config from a control plane ({@code http://127.0.0.1:15010}), long-polling for changes, with the
         * bearer token of this application's service. Needs {@link #service}. Several replicas, separated by
         * commas ({@code http://cp-a:15010,http://cp-b:15010}), are failed over between.
         */
        public Builder controlPlane(String urls, String token) {
            this.controlPlane = ControlPlaneReplicas.parse(urls);
            this.token = token;
            return this;
        }

        /** {@link #controlPlane(String, String)} with the replicas' URLs as a list. */
        public Builder controlPlane(List<String> urls, String token) {
            this.controlPlane = new ControlPlaneReplicas(urls.stream().map(URI::create).toList());
            this.token = token;
            return this;
        }

        /**
         * This application's own service name: its identity towards the control plane and the service whose
         * inbound rules apply to it.
         */
        public Builder service(String name) {
            this.service = name;
            return this;
        }

        /** Where the last good snapshot is kept (default: {@code weft-cache} in the temporary directory). */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** How long the control plane may hold one long poll (default 30 s). */
        public Builder pollWait(Duration wait) {
            this.pollWait = wait;
            return this;
        }

        /**
         * Registers this application as an instance of its service, reachable at {@code address:port}, and
         * heartbeats until the runtime is closed.
         */
        public Builder register(String address, int port, Map<String, String> labels) {
            this.registration = new RegistrationRequest(null, address, port, labels);
            return this;
        }

        private ControlPlaneSettings controlPlaneSettings() {
            if (controlPlane == null) {
                if (controlPlaneCa != null) {
                    throw new IllegalStateException("controlPlaneCa(...) is for an https control plane: controlPlane(...) is missing");
                }
                if (registration != null) {
                    throw new IllegalStateException("register(...) needs controlPlane(...) to register with");
                }
                return null;
            }
            if (service == null) {
                throw new IllegalStateException("controlPlane(...) needs service(...): the name of this application's service");
            }
            if (registration != null) {
                registration = new RegistrationRequest(service, registration.address(), registration.port(),
                        registration.labels());
            }
            return new ControlPlaneSettings(controlPlane, ServiceName.of(service), token,
                    cacheDir == null ? ControlPlaneSettings.defaultCacheDir() : cacheDir, pollWait, controlPlaneCa);
        }

        /** A config already parsed and validated. */
        public Builder config(MeshConfig config) {
            this.config = config;
            return this;
        }

        /** A YAML/JSON file, or a directory of them, read at build time. */
        public Builder configPath(Path path) {
            this.configPath = path;
            return this;
        }

        /** A YAML/JSON resource on the class path, read at build time. */
        public Builder configResource(String name) {
            this.configResource = name;
            return this;
        }

        public Builder discovery(DiscoverySource source) {
            discoverySources.add(source);
            return this;
        }

        /**
         * Another way to name every service: with {@code .svc.cluster.local}, {@code http://orders.svc.cluster.local/}
         * reaches {@code orders} too.
         */
        public Builder hostSuffix(String suffix) {
            if (!suffix.startsWith(".")) {
                throw new IllegalArgumentException("a host suffix starts with '.', as in .svc.cluster.local");
            }
            hostSuffixes.add(suffix);
            return this;
        }

        public Builder listener(CallListener listener) {
            listeners.add(listener);
            return this;
        }

        /** Builds the runtime; an invalid config fails here with every error listed. */
        public WeftRuntime build() {
            return new WeftRuntime(this);
        }
    }
}
