package io.weft.control.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

/**
 * Runs a callback when the files of a directory change. File events start a reload {@code debounce} after the
 * first event of a burst (an editor's temp-file-and-rename makes several); a periodic re-scan of sizes and
 * modification times catches what events miss (network file systems, a polling WatchService, a lost overflow).
 * Callbacks run on the given scheduler, one at a time.
 */
public final class DirectoryWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);

    private final Path dir;
    private final ScheduledExecutorService scheduler;
    private final Duration debounce;
    private final Duration rescanEvery;
    private final Runnable onChange;
    private final AtomicBoolean reloadPending = new AtomicBoolean();
    private volatile DirectoryFingerprint lastSeen;
    private WatchService watchService;
    private Thread thread;

    public DirectoryWatcher(Path dir, ScheduledExecutorService scheduler, Duration debounce, Duration rescanEvery,
                            Runnable onChange) {
        this.dir = dir;
        this.scheduler = scheduler;
        this.debounce = debounce;
        this.rescanEvery = rescanEvery;
        this.onChange = onChange;
    }

    /** Starts watching; call before the first load so that no change between the two goes unseen. */
    public void start() throws IOException {
        lastSeen = DirectoryFingerprint.of(dir);
        watchService = dir.getFileSystem().newWatchService();
        dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
        thread = new Thread(this::watch, "weft-config-watch");
        thread.setDaemon(true);
        thread.start();
        scheduler.scheduleWithFixedDelay(this::rescan, rescanEvery.toMillis(), rescanEvery.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                // Which file changed does not matter: the whole directory is loaded and validated together.
                key.pollEvents();
                scheduleReload();
                if (!key.reset()) {
                    log.warn("{} can no longer be watched (removed?); falling back to a re-scan every {}", dir,
                            rescanEvery);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // close() was called
        }
    }

    private void scheduleReload() {
        if (reloadPending.compareAndSet(false, true)) {
            scheduler.schedule(this::reload, debounce.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void rescan() {
        try {
            if (!DirectoryFingerprint.of(dir).equals(lastSeen)) {
                log.debug("Re-scan found a change in {} that no file event reported", dir);
                reload();
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again; the safety net must not fall.
            log.warn("Re-scan of {} failed", dir, e);
        }
    }

    private void reload() {
        // Cleared first: events during the reload start another one, so the last write is never missed.
        reloadPending.set(false);
        lastSeen = DirectoryFingerprint.of(dir);
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.error("Reloading {} failed", dir, e);
        }
    }

    @Override
    public void close() {
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                log.debug("Closing the watch service of {}", dir, e);
            }
        }
    }
}
