package io.weft.control;

import io.weft.control.ca.CertificateAuthority;
import io.weft.control.ca.ServerCertificate;
import io.weft.control.config.DocumentCheck;
import io.weft.control.http.ApiRoutes;
import io.weft.control.http.ApiTls;
import io.weft.control.http.HttpServer;
import io.weft.control.http.RefusedCalls;
import io.weft.control.http.WaitingClients;
import io.weft.control.snapshot.PublishedSnapshot;
import io.weft.control.snapshot.SnapshotPublisher;
import io.weft.control.store.ControlPlaneStore;
import io.weft.control.store.StoreStatus;
import io.weft.control.store.embedded.EmbeddedStore;
import io.weft.control.store.etcd.EtcdStore;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.DurationFormat;
import io.weft.runtime.security.TrustBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A started control plane: its store followed, the HTTP API serving. {@link #close()} stops all of it; held long
 * polls are cut, and clients reconnect elsewhere or later.
 */
public final class RunningControlPlane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningControlPlane.class);

    private final String host;
    private final ControlPlaneStore store;
    private final SnapshotPublisher publisher;
    private final WaitingClients waiting;
    /** Null when the CA is off. */
    private final CertificateAuthority ca;
    private final boolean tls;
    /** Where blocking writes to a remote store run; null for the embedded store. */
    private final ExecutorService writes;
    private final RefusedCalls refused = new RefusedCalls();
    private HttpServer server;
    private int port;
    private volatile boolean closed;

    private RunningControlPlane(ControlPlane settings, ControlPlaneStore store, CertificateAuthority ca) {
        this.host = settings.host;
        this.store = store;
        this.ca = ca;
        this.tls = settings.tls;
        this.publisher = SnapshotPublisher.ofState(store::state, System::currentTimeMillis,
                ca == null ? null : ca.trustBundle().pem());
        this.waiting = new WaitingClients(publisher::current, store.versionOrder());
        this.writes = store.remote() ? writeThreads() : null;
    }

    static RunningControlPlane start(ControlPlane settings) {
        ConfigLoader loader = new ConfigLoader();
        ControlPlaneStore store = settings.etcd != null
                ? EtcdStore.connect(settings.etcd, loader, settings.instanceTtl)
                : new EmbeddedStore(settings.configDir, loader, settings.instanceTtl, settings.configDebounce,
                        settings.configRescanInterval);
        RunningControlPlane cp = null;
        try {
            // Before anything else runs: a CA that cannot be used stops the start with little to clean up.
            CertificateAuthority ca = settings.ca == null ? null
                    : store.certificateAuthority(settings.ca, settings.caKeyPassphrase, Clock.systemUTC());
            cp = new RunningControlPlane(settings, store, ca);
            cp.startAll(settings, new DocumentCheck(loader));
            return cp;
        } catch (RuntimeException e) {
            if (cp != null) {
                cp.close();
            } else {
                store.close();
            }
            throw e;
        }
    }

    private void startAll(ControlPlane settings, DocumentCheck check) {
        store.start();
        publisher.onPublish(waiting::onPublish);
        store.onChange(publisher::republish);
        publisher.republish();

        ApiTls apiTls = null;
        if (settings.tls) {
            ServerCertificate certificate = new ServerCertificate(ca, host, settings.tlsNames, Clock.systemUTC());
            apiTls = new ApiTls(certificate);
            apiTls.current(); // issue it now: a problem shows at start, not at the first connection
        }
        server = new HttpServer(host, settings.port, settings.workerThreads, ApiRoutes.create(new ApiRoutes.Parts(
                settings.authenticator, publisher, waiting, store.registry(), this::status, ca,
                store.documents().orElse(null), check, writes, refused)), apiTls);
        port = server.start();
        log.info("Weft control plane listening on {}/v1 ({} store at {}, instance TTL {})", uri(),
                store.status().type(), store.status().location(), DurationFormat.format(settings.instanceTtl));
        if (ca != null) {
            log.info("Certificate authority on: trust domain {}, workload certificates for {}", ca.trustDomain(),
                    DurationFormat.format(ca.certificateTtl()));
            if (settings.noAuth) {
                log.warn("Authentication is off: anyone who reaches the port can get a certificate for any service");
            }
        }
    }

    /** A few threads for registrations, heartbeats and config writes; a full queue answers 503 rather than pile up. */
    private static ExecutorService writeThreads() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "weft-control-store-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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
        StoreStatus storeStatus = store.status();
        return new ControlPlaneStatus(snapshot.version(), snapshot.hash(), snapshot.generatedAt().toString(),
                store.lastRejected(), snapshot.serviceCount(), store.registry().size(), waiting.size(),
                // The embedded store's location is its config directory, shown as before the store existed.
                EmbeddedStore.TYPE.equals(storeStatus.type()) ? storeStatus.location() : null, storeStatus,
                refused.counts());
    }

    /** How long instances live without a heartbeat. */
    public Duration instanceTtl() {
        return store.registry().ttl();
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
        if (writes != null) {
            writes.shutdownNow();
        }
        store.close();
        log.info("Weft control plane stopped");
    }
}
