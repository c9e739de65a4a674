package io.weft.control.store.etcd;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchResponse;
import io.weft.control.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the {@link EtcdMirror} current: one full read, then a watch from the revision after it. A probe reads etcd
 * every {@code probeEvery} (and at once when the watch breaks); when etcd answers again after being unreachable,
 * or the watch broke, the mirror is read in full again and a new watch started, rather than trusting a resumed
 * stream to have missed nothing (etcd may have compacted its history meanwhile).
 */
final class EtcdSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtcdSync.class);

    private final Etcd etcd;
    private final EtcdKeys keys;
    private final EtcdMirror mirror;
    private final EtcdHealth health;
    private final ScheduledExecutorService scheduler;
    private final Duration probeEvery;
    private Watch.Watcher watcher;
    /** Which watcher is current: a replaced one's late errors must not break its successor. */
    private volatile int generation;
    private volatile boolean watchBroken;
    private volatile boolean closed;

    EtcdSync(Etcd etcd, EtcdKeys keys, EtcdMirror mirror, EtcdHealth health, ScheduledExecutorService scheduler,
             Duration probeEvery) {
        this.etcd = etcd;
        this.keys = keys;
        this.mirror = mirror;
        this.health = health;
        this.scheduler = scheduler;
        this.probeEvery = probeEvery;
    }

    /**
     * The first full read and watch, then the probe.
     *
     * @throws StoreUnavailableException if etcd cannot be reached
     * @throws io.weft.runtime.config.ConfigException if the config in etcd is invalid
     */
    void start() {
        resync();
        scheduler.scheduleWithFixedDelay(this::probe, probeEvery.toMillis(), probeEvery.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private synchronized void resync() {
        if (watcher != null) {
            watcher.close();
        }
        GetResponse all = etcd.get(keys.all(), true);
        mirror.reset(all);
        // From the revision after the read: nothing between the two is missed, and nothing is applied twice (the
        // mirror skips what it has anyway).
        int current = ++generation;
        watcher = etcd.watch(keys.all(), all.getHeader().getRevision() + 1, Watch.listener(
                this::onEvents, error -> onWatchError(current, error)));
        watchBroken = false;
    }

    private void onEvents(WatchResponse response) {
        try {
            mirror.apply(response);
        } catch (RuntimeException e) {
            log.error("applying etcd events failed; reading etcd again", e);
            watchBroken = true;
        }
    }

    private void onWatchError(int of, Throwable error) {
        if (closed || of != generation) {
            return;
        }
        // A broken stream is not yet an unavailable etcd: probe now, which reads it in full and watches again if
        // it answers, and marks it unavailable if it does not.
        log.warn("etcd watch broke ({}); reading etcd again", error.getMessage());
        watchBroken = true;
        try {
            scheduler.execute(this::probe);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void probe() {
        if (closed) {
            return;
        }
        try {
            etcd.get(keys.epoch(), false);
            if (!health.available() || watchBroken) {
                resync();
                health.up();
            }
        } catch (StoreUnavailableException e) {
            log.debug("etcd probe failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: the replica would stay read-only for good.
            log.error("etcd probe failed", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
    }
}
