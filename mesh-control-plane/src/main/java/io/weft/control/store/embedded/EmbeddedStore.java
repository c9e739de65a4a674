package io.weft.control.store.embedded;

import io.weft.control.ca.CaDirectory;
import io.weft.control.ca.CaSettings;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.config.ConfigDirectory;
import io.weft.control.config.DirectoryWatcher;
import io.weft.control.config.RejectedChange;
import io.weft.control.registry.InstanceRegistry;
import io.weft.control.registry.ServiceRegistry;
import io.weft.control.snapshot.MeshState;
import io.weft.control.snapshot.VersionOrder;
import io.weft.control.store.ConfigDocuments;
import io.weft.control.store.ControlPlaneStore;
import io.weft.control.store.StoreStatus;
import io.weft.runtime.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The default store of one control-plane process: config from a watched directory of YAML files, registered
 * instances in memory, the CA in a directory, versions from the wall clock.
 */
public final class EmbeddedStore implements ControlPlaneStore {

    public static final String TYPE = "embedded";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    private final Path configDir;
    private final ScheduledExecutorService background;
    private final ConfigDirectory config;
    private final DirectoryWatcher watcher;
    private final InstanceRegistry registry;

    public EmbeddedStore(Path configDir, ConfigLoader loader, Duration instanceTtl, Duration configDebounce,
                         Duration configRescanInterval) {
        this.configDir = configDir;
        // One thread for config reloads, re-scans and expiry sweeps: they are rare and need no parallelism.
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-control-plane");
            t.setDaemon(true);
            return t;
        });
        this.config = new ConfigDirectory(configDir, loader, Clock.systemUTC());
        this.watcher = new DirectoryWatcher(configDir, background, configDebounce, configRescanInterval,
                config::reload);
        this.registry = new InstanceRegistry(instanceTtl);
    }

    @Override
    public CertificateAuthority certificateAuthority(CaSettings settings, char[] keyPassphrase, Clock clock) {
        return CaDirectory.loadOrCreate(settings, clock);
    }

    @Override
    public void start() {
        try {
            // Watch first, then load: a change in between then shows as an event instead of being lost.
            watcher.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + configDir + ": " + e.getMessage(), e);
        }
        config.loadInitial();
        long sweepMillis = Math.max(50, Math.min(1000, registry.ttl().toMillis() / 4));
        background.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            registry.sweep();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again.
            log.error("Expiring instances failed", e);
        }
    }

    @Override
    public MeshState state() {
        return MeshState.of(config.current(), registry.instances(), System.currentTimeMillis());
    }

    @Override
    public void onChange(Runnable listener) {
        config.onChange(listener);
        registry.onChange(listener);
    }

    @Override
    public VersionOrder versionOrder() {
        return VersionOrder.ANY_OTHER;
    }

    @Override
    public ServiceRegistry registry() {
        return registry;
    }

    @Override
    public Optional<ConfigDocuments> documents() {
        return Optional.empty();
    }

    @Override
    public RejectedChange lastRejected() {
        return config.lastRejected();
    }

    @Override
    public StoreStatus status() {
        return StoreStatus.reachable(TYPE, configDir.toAbsolutePath().normalize().toString());
    }

    @Override
    public boolean remote() {
        return false;
    }

    @Override
    public void close() {
        watcher.close();
        background.shutdownNow();
    }
}
