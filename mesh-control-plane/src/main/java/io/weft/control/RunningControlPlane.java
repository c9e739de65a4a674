package io.weft.control;

import io.weft.control.config.ConfigDirectory;
import io.weft.control.config.DirectoryWatcher;
import io.weft.control.http.ApiRoutes;
import io.weft.control.http.HttpServer;
import io.weft.control.http.WaitingClients;
import io.weft.control.registry.InstanceRegistry;
import io.weft.control.snapshot.EndpointMerger;
import io.weft.control.snapshot.PublishedSnapshot;
import io.weft.control.snapshot.SnapshotPublisher;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.DurationFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A started control plane: the config directory watched, the registry sweeping, the HTTP API serving.
 * {@link #close()} stops all of it; held long polls are cut, and clients reconnect elsewhere or later.
 */
public final class RunningControlPlane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningControlPlane.class);

    private final String host;
    private final ScheduledExecutorService background;
    private final DirectoryWatcher watcher;
    private final ConfigDirectory config;
    private final InstanceRegistry registry;
    private final SnapshotPublisher publisher;
    private final WaitingClients waiting;
    private HttpServer server;
    private int port;
    private volatile boolean closed;

    private RunningControlPlane(ControlPlane settings) {
        this.host = settings.host;
        // One thread for config reloads, re-scans and expiry sweeps: they are rare and need no parallelism.
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-control-plane");
            t.setDaemon(true);
            return t;
        });
        this.config = new ConfigDirectory(settings.configDir, new ConfigLoader(), Clock.systemUTC());
        this.watcher = new DirectoryWatcher(settings.configDir, background, settings.configDebounce,
                settings.configRescanInterval, config::reload);
        this.registry = new InstanceRegistry(settings.instanceTtl);
        this.publisher = new SnapshotPublisher(() -> EndpointMerger.merge(config.current(), registry.instances()));
        this.waiting = new WaitingClients(publisher::current);
    }

    static RunningControlPlane start(ControlPlane settings) {
        RunningControlPlane cp = new RunningControlPlane(settings);
        try {
            cp.startAll(settings);
            return cp;
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
    }

    private void startAll(ControlPlane settings) {
        try {
            // Watch first, then load: a change in between then shows as an event instead of being lost.
            watcher.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + settings.configDir + ": " + e.getMessage(), e);
        }
        config.loadInitial();
        publisher.onPublish(waiting::onPublish);
        config.onChange(publisher::republish);
        registry.onChange(publisher::republish);
        publisher.republish();

        long sweepMillis = Math.max(50, Math.min(1000, settings.instanceTtl.toMillis() / 4));
        background.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);

        server = new HttpServer(host, settings.port, settings.workerThreads,
                ApiRoutes.create(settings.authenticator, publisher, waiting, registry, this::status));
        port = server.start();
        log.info("Weft control plane listening on http://{}:{}/v1 (config {}, instance TTL {})", host, port,
                settings.configDir, DurationFormat.format(settings.instanceTtl));
    }

    private void sweep() {
        try {
            registry.sweep();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again.
            log.error("Expiring instances failed", e);
        }
    }

    /** The port the API listens on. */
    public int port() {
        return port;
    }

    /** The API's base, as {@code http://127.0.0.1:15010}. */
    public URI uri() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port);
    }

    public ControlPlaneStatus status() {
        PublishedSnapshot snapshot = publisher.current();
        return new ControlPlaneStatus(snapshot.version(), snapshot.hash(), snapshot.generatedAt().toString(),
                config.lastRejected(), snapshot.serviceCount(), registry.size(), waiting.size(),
                config.path().toAbsolutePath().normalize().toString());
    }

    /** How long instances live without a heartbeat. */
    public Duration instanceTtl() {
        return registry.ttl();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close();
        }
        watcher.close();
        background.shutdownNow();
        log.info("Weft control plane stopped");
    }
}
