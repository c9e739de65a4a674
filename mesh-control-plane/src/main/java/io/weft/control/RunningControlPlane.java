package io.weft.control;

import io.weft.control.ca.CaDirectory;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.ca.ServerCertificate;
import io.weft.control.config.ConfigDirectory;
import io.weft.control.config.DirectoryWatcher;
import io.weft.control.http.ApiRoutes;
import io.weft.control.http.ApiTls;
import io.weft.control.http.HttpServer;
import io.weft.control.http.WaitingClients;
import io.weft.control.registry.InstanceRegistry;
import io.weft.control.snapshot.EndpointMerger;
import io.weft.control.snapshot.PublishedSnapshot;
import io.weft.control.snapshot.SnapshotPublisher;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.DurationFormat;
import io.weft.runtime.security.TrustBundle;
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
    /** Null when the CA is off. */
    private final CertificateAuthority ca;
    private final boolean tls;
    private HttpServer server;
    private int port;
    private volatile boolean closed;

    private RunningControlPlane(ControlPlane settings, CertificateAuthority ca) {
        this.host = settings.host;
        this.ca = ca;
        this.tls = settings.tls;
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
        this.publisher = new SnapshotPublisher(() -> EndpointMerger.merge(config.current(), registry.instances()),
                System::currentTimeMillis, ca == null ? null : ca.trustBundle().pem());
        this.waiting = new WaitingClients(publisher::current);
    }

    static RunningControlPlane start(ControlPlane settings) {
        // Before anything else runs: a CA directory that cannot be used stops the start with nothing to clean up.
        CertificateAuthority ca = settings.ca == null ? null
                : CaDirectory.loadOrCreate(settings.ca, Clock.systemUTC());
        RunningControlPlane cp = new RunningControlPlane(settings, ca);
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

        ApiTls apiTls = null;
        if (settings.tls) {
            ServerCertificate certificate = new ServerCertificate(ca, host, settings.tlsNames, Clock.systemUTC());
            apiTls = new ApiTls(certificate);
            apiTls.current(); // issue it now: a problem shows at start, not at the first connection
        }
        server = new HttpServer(host, settings.port, settings.workerThreads,
                ApiRoutes.create(settings.authenticator, publisher, waiting, registry, this::status, ca), apiTls);
        port = server.start();
        log.info("Weft control plane listening on {}/v1 (config {}, instance TTL {})", uri(),
                settings.configDir, DurationFormat.format(settings.instanceTtl));
        if (ca != null) {
            log.info("Certificate authority on: trust domain {}, workload certificates for {}", ca.trustDomain(),
                    DurationFormat.format(ca.certificateTtl()));
            if (settings.noAuth) {
                log.warn("Authentication is off: anyone who reaches the port can get a certificate for any service");
            }
        }
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

    /** The API's base, as {@code http://127.0.0.1:15010}, or {@code https://...} with TLS. */
    public URI uri() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return URI.create((tls ? "https://" : "http://") + h + ":" + port);
    }

    /** The CA's certificates, what {@code GET /v1/trust-bundle} serves; null when the CA is off. */
    public TrustBundle trustBundle() {
        return ca == null ? null : ca.trustBundle();
    }

    /** The certificate authority, or null when it is off. */
    public CertificateAuthority certificateAuthority() {
        return ca;
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
