package io.weft.runtime.control;

import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.security.TrustBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps the engine's config in step with the control plane: long-polls for new snapshots, validates each before
 * applying it, keeps the last good one on disk and, when the control plane cannot be reached, keeps what it has
 * and retries with backoff. No thread waits on the poll: it is the JDK client's {@code sendAsync}.
 *
 * <p>With several replicas, a failed poll moves on to the next one at once, and backs off only when every
 * replica failed in a row. The version it has goes along: replicas on one etcd serve the same versions, so the
 * next one answers only with something newer. A snapshot whose content is what is in force already (the same
 * hash, under another version) is taken as the new version without applying it to the engine again.
 */
public final class SnapshotPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPoller.class);

    private final ControlPlaneSettings settings;
    private final MeshEngine engine;
    private final ConfigLoader loader;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final SnapshotCache cache;
    private final Backoff backoff = new Backoff();
    private final AtomicReference<ConfigStatus> status = new AtomicReference<>(ConfigStatus.NONE);
    private final CountDownLatch firstConfig = new CountDownLatch(1);
    /** The version the next poll reports having: the applied one, or a rejected one so it is not sent again. */
    private volatile long knownVersion;
    private volatile CompletableFuture<?> inFlight;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    /** Polls failed in a row; below the number of replicas, the next replica is tried without waiting. */
    private int failedInARow;
    private String lastLoggedError;
    private volatile Consumer<TrustBundle> trustBundleListener = bundle -> { };
    private volatile String lastTrustBundle;

    public SnapshotPoller(ControlPlaneSettings settings, MeshEngine engine, ConfigLoader loader,
                          ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.engine = engine;
        this.loader = loader;
        this.scheduler = scheduler;
        this.cache = new SnapshotCache(settings.cacheDir(), settings.service().value());
        // Trusts the control plane's CA when the API is served over TLS with it (settings.trustAnchor()).
        this.http = settings.newHttpClient();
    }

    /** Applies the cached snapshot if there is one, then starts polling. */
    public void start() {
        cache.read().ifPresent(json -> {
            try {
                SnapshotMessage cached = loader.parseSnapshot(cache.file().toString(), json);
                apply(cached, "disk-cache");
                log.info("applied cached snapshot version {} from {} until the control plane answers",
                        cached.version(), cache.file());
            } catch (ConfigException e) {
                log.warn("ignoring cached snapshot {}: {}", cache.file(), e.getMessage());
            }
        });
        poll();
    }

    /**
     * Called with the mesh CA's trust bundle from the first applied snapshot that carries one, and again whenever
     * it changes (a new CA); on the poller's thread, must not block. Set before {@link #start()}.
     */
    public void onTrustBundle(Consumer<TrustBundle> listener) {
        this.trustBundleListener = listener;
    }

    public ConfigStatus status() {
        return status.get();
    }

    /** Polls or snapshots that failed since start (unreachable, refused, rejected). */
    public long failures() {
        return failures.get();
    }

    /** Waits until a first config is in force, from the cache or the control plane. */
    public boolean awaitConfig(long timeout, TimeUnit unit) throws InterruptedException {
        return firstConfig.await(timeout, unit);
    }

    private void poll() {
        if (closed) {
            return;
        }
        URI replica = settings.replicas().current();
        String query = "?service=" + URLEncoder.encode(settings.service().value(), StandardCharsets.UTF_8)
                + "&version=" + knownVersion + "&wait=" + settings.pollWait().toMillis() + "ms";
        java.time.Duration deadline = settings.pollWait().plusSeconds(15);
        HttpRequest.Builder request = HttpRequest.newBuilder(ControlPlaneReplicas.resolve(replica,
                        "/v1/snapshot" + query))
                .timeout(deadline);
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        CompletableFuture<HttpResponse<String>> sent =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        // The request's timeout ends at the response headers; a body that trickles in would hold the poll (and
        // hide the fault) for as long as the control plane keeps it coming. Cancelling aborts the exchange.
        java.util.concurrent.ScheduledFuture<?> abandon = scheduler.schedule(() -> sent.cancel(true),
                deadline.toMillis(), TimeUnit.MILLISECONDS);
        inFlight = sent
                .whenComplete((response, error) -> {
                    abandon.cancel(false);
                    if (error != null) {
                        if (closed) {
                            return;
                        }
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        failed(replica, error instanceof java.util.concurrent.CancellationException
                                ? "control plane " + replica + " did not finish its answer within "
                                        + deadline.toSeconds() + " s"
                                : "control plane " + replica + " unreachable: " + cause);
                        return;
                    }
                    try {
                        handle(replica, response.statusCode(), response.body());
                    } catch (RuntimeException e) {
                        failed(replica, "handling snapshot failed: " + e);
                    }
                });
    }

    private void handle(URI replica, int code, String text) {
        if (code == 304) {
            contact();
            succeeded();
            return;
        }
        if (code != 200) {
            failed(replica, "control plane " + replica + " answered " + code + ": " + text.strip());
            return;
        }
        contact();
        SnapshotMessage snapshot;
        try {
            snapshot = loader.parseSnapshot("control-plane snapshot", text);
        } catch (ConfigException e) {
            Long version = versionOf(text);
            if (version != null) {
                knownVersion = version;
            }
            failed(replica, "rejected snapshot" + (version == null ? "" : " version " + version) + ": "
                    + e.getMessage());
            return;
        }
        ConfigStatus before = status.get();
        boolean fromControlPlane = "control-plane".equals(before.source());
        if (snapshot.version() == before.version() && fromControlPlane) {
            succeeded();
            return;
        }
        if (snapshot.hash() != null && snapshot.hash().equals(before.hash())) {
            adopt(snapshot);
            log.debug("snapshot version {} from {} has the content in force; version taken, nothing applied",
                    snapshot.version(), replica);
        } else {
            apply(snapshot, "control-plane");
            log.info("applied snapshot version {} ({} services) from the control plane", snapshot.version(),
                    snapshot.services().size());
        }
        cache.write(text);
        succeeded();
    }

    private void succeeded() {
        failedInARow = 0;
        backoff.reset();
        poll();
    }

    private void apply(SnapshotMessage snapshot, String source) {
        // The status moves first, so that whoever sees a call routed by the new config also sees its version
        // in the status (the engine's swap is a volatile write after this one); a failed apply puts it back.
        ConfigStatus before = status.get();
        status.set(new ConfigStatus(source, snapshot.version(), snapshot.hash(), Instant.now(),
                before.lastContactAt(), null, null));
        try {
            engine.apply(new MeshConfig(snapshot.services()));
        } catch (RuntimeException e) {
            status.set(before);
            throw e;
        }
        knownVersion = snapshot.version();
        lastLoggedError = null;
        // Before the first-config latch: whoever waited for the config finds its trust bundle delivered too.
        trustBundle(snapshot.trustBundle());
        firstConfig.countDown();
    }

    /**
     * The content in force under a new version (another replica's, or a restarted control plane's): the status
     * and the version polled with move on, the engine is not touched.
     */
    private void adopt(SnapshotMessage snapshot) {
        status.updateAndGet(s -> new ConfigStatus("control-plane", snapshot.version(), snapshot.hash(), s.appliedAt(),
                s.lastContactAt(), null, null));
        knownVersion = snapshot.version();
        trustBundle(snapshot.trustBundle());
    }

    private void trustBundle(String pem) {
        if (pem == null || pem.equals(lastTrustBundle)) {
            return;
        }
        TrustBundle bundle;
        try {
            bundle = TrustBundle.fromPem(pem);
        } catch (IllegalArgumentException e) {
            // The config is fine and stays applied; certificates keep the bundle they have.
            log.warn("ignoring the snapshot's trust bundle: {}", e.getMessage());
            return;
        }
        lastTrustBundle = pem;
        try {
            trustBundleListener.accept(bundle);
        } catch (RuntimeException e) {
            log.error("trust bundle listener failed", e);
        }
    }

    private void contact() {
        status.updateAndGet(s -> new ConfigStatus(s.source(), s.version(), s.hash(), s.appliedAt(), Instant.now(),
                null, null));
    }

    private void failed(URI replica, String error) {
        if (closed) {
            return;
        }
        failures.incrementAndGet();
        status.updateAndGet(s -> new ConfigStatus(s.source(), s.version(), s.hash(), s.appliedAt(), s.lastContactAt(),
                error, Instant.now()));
        URI next = settings.replicas().failover(replica);
        failedInARow++;
        if (failedInARow < settings.replicas().size()) {
            log.warn("{}; keeping config version {}, trying {}", error, status.get().version(), next);
            poll();
            return;
        }
        failedInARow = 0;
        long delay = backoff.nextDelayMillis();
        // Say it once per distinct problem, not once per retry.
        if (!error.equals(lastLoggedError)) {
            log.warn("{}; keeping config version {} ({}), retrying with backoff", error, status.get().version(),
                    status.get().source());
            lastLoggedError = error;
        } else {
            log.debug("{}; retrying in {} ms", error, delay);
        }
        scheduler.schedule(this::poll, delay, TimeUnit.MILLISECONDS);
    }

    private static Long versionOf(String json) {
        try {
            var node = ConfigMapper.json().readTree(json).get("version");
            return node != null && node.canConvertToLong() ? node.asLong() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> call = inFlight;
        if (call != null) {
            call.cancel(true);
        }
    }
}
