package io.weft.control.config;

import io.weft.runtime.config.ConfigError;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.MeshConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The last config that validated as a whole, and the last change that did not: a rejected change leaves the last
 * good config in force. Shared by every store, so an invalid change means the same wherever config comes from.
 */
public final class ValidatedConfig {

    private static final Logger log = LoggerFactory.getLogger(ValidatedConfig.class);

    private final String origin;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile MeshConfig current;
    private volatile RejectedChange lastRejected;

    /** @param origin where the config comes from, for the log: a directory, etcd's endpoints */
    public ValidatedConfig(String origin, Clock clock) {
        this.origin = origin;
        this.clock = clock;
    }

    /** The first config; unlike {@link #offer}, nothing to fall back to, so the caller decides what invalid means. */
    public synchronized void initial(MeshConfig config) {
        current = config;
        log.info("Loaded {} services from {}", config.services().size(), origin);
    }

    /** The config in force; null before {@link #initial}. */
    public MeshConfig current() {
        return current;
    }

    /** The last rejected change, or null if the latest state of the source was accepted. */
    public RejectedChange lastRejected() {
        return lastRejected;
    }

    /** Called after an accepted change that differs from the config before. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Loads the source's new state and applies it if it validates. A later accepted state clears
     * {@link #lastRejected()}, so that a non-null value always means: the source is not what is served.
     */
    public void offer(Supplier<MeshConfig> load) {
        synchronized (this) {
            MeshConfig loaded;
            try {
                loaded = load.get();
            } catch (ConfigException e) {
                reject(e.errors().stream().map(ConfigError::toString).toList());
                return;
            } catch (RuntimeException e) {
                // An unreadable file mid-rename, say: the same treatment as an invalid one, and we try again next time.
                reject(List.of(origin + ": " + e));
                return;
            }
            lastRejected = null;
            if (loaded.equals(current)) {
                log.debug("Config in {} changed but not in content", origin);
                return;
            }
            current = loaded;
            log.info("Applied config change in {}: {} services", origin, loaded.services().size());
        }
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    private void reject(List<String> errors) {
        RejectedChange previous = lastRejected;
        if (previous != null && previous.errors().equals(errors)) {
            // The same state read again (a re-scan racing a file event): nothing new to say.
            return;
        }
        lastRejected = new RejectedChange(clock.instant().toString(), errors);
        log.warn("Rejected config change in {}; the last good config stays in force:\n  {}", origin,
                String.join("\n  ", errors));
    }
}
