package io.weft.control.store.etcd;

import io.weft.control.ca.CaSettings;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.ca.SharedCa;
import io.weft.control.config.DocumentCheck;
import io.weft.control.config.RejectedChange;
import io.weft.control.registry.ServiceRegistry;
import io.weft.control.snapshot.MeshState;
import io.weft.control.snapshot.VersionOrder;
import io.weft.control.store.ConfigDocuments;
import io.weft.control.store.ControlPlaneStore;
import io.weft.control.store.StoreStatus;
import io.weft.runtime.config.ConfigLoader;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The store of a control plane that runs as several replicas: config documents, the service registry (instance
 * keys with leases), the CA's material and the version all live in etcd under one prefix. Each replica mirrors the
 * prefix in memory ({@link EtcdMirror}) and serves snapshots and long polls from there; versions are etcd revisions
 * (from an {@link EtcdEpoch}), so they mean the same on every replica and a client may poll any of them.
 *
 * <p>While etcd cannot be reached, the replica keeps serving the last state it read, refuses writes with 503, and
 * says so in its status; when etcd is back it reads everything again.
 */
public final class EtcdStore implements ControlPlaneStore {

    public static final String TYPE = "etcd";
    /** How often etcd is probed; also how soon a replica notices that etcd is back. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private final Etcd etcd;
    private final EtcdKeys keys;
    private final EtcdHealth health;
    private final EtcdMirror mirror;
    private final EtcdRegistry registry;
    private final EtcdDocuments documents;
    private final ScheduledExecutorService scheduler;
    private final EtcdSync sync;
    private volatile long epoch;

    private EtcdStore(EtcdSettings settings, ConfigLoader loader, Duration instanceTtl) {
        Clock clock = Clock.systemUTC();
        this.keys = new EtcdKeys(settings.prefix());
        this.health = new EtcdHealth(settings.describe(), clock);
        this.etcd = Etcd.connect(settings, health);
        this.mirror = new EtcdMirror(keys, new DocumentCheck(loader), "etcd " + settings.describe(), clock);
        this.registry = new EtcdRegistry(etcd, keys, mirror, instanceTtl, settings.timeout(), clock);
        this.documents = new EtcdDocuments(etcd, keys, mirror, settings.timeout());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-etcd-sync");
            t.setDaemon(true);
            return t;
        });
        this.sync = new EtcdSync(etcd, keys, mirror, health, scheduler, PROBE_EVERY);
    }

    /** A client for etcd; nothing is read until {@link #start()} (or the CA is loaded). */
    public static EtcdStore connect(EtcdSettings settings, ConfigLoader loader, Duration instanceTtl) {
        return new EtcdStore(settings, loader, instanceTtl);
    }

    @Override
    public CertificateAuthority certificateAuthority(CaSettings ca, char[] keyPassphrase, Clock clock) {
        return SharedCa.loadOrCreate(ca, keyPassphrase, new EtcdCaStorage(etcd, keys), clock);
    }

    @Override
    public void start() {
        epoch = EtcdEpoch.readOrCreate(etcd, keys, System::currentTimeMillis);
        sync.start();
    }

    @Override
    public MeshState state() {
        return mirror.state(epoch);
    }

    @Override
    public void onChange(Runnable listener) {
        mirror.onChange(listener);
    }

    @Override
    public VersionOrder versionOrder() {
        return VersionOrder.NEWER_ONLY;
    }

    @Override
    public ServiceRegistry registry() {
        return registry;
    }

    @Override
    public Optional<ConfigDocuments> documents() {
        return Optional.of(documents);
    }

    @Override
    public RejectedChange lastRejected() {
        return mirror.lastRejected();
    }

    @Override
    public StoreStatus status() {
        return health.status();
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public void close() {
        sync.close();
        scheduler.shutdownNow();
        etcd.close();
    }
}
