package io.weft.control.config;

import io.weft.runtime.config.ConfigError;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.MeshConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mesh config of a directory of YAML files: the last config that validated as a whole, and the last change
 * that did not. A rejected change leaves the last good config in force.
 */
public final class ConfigDirectory {

    private static final Logger log = LoggerFactory.getLogger(ConfigDirectory.class);

    private final Path dir;
    private final ConfigLoader loader;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile MeshConfig current;
    private volatile RejectedChange lastRejected;

    public ConfigDirectory(Path dir, ConfigLoader loader, Clock clock) {
        this.dir = dir;
        this.loader = loader;
        this.clock = clock;
    }

    /**
     * The first load. Unlike a {@link #reload()}, an invalid config here is a {@link ConfigException}: there is
     * no last good config to keep serving.
     */
    public synchronized void loadInitial() {
        MeshConfig initial = loader.load(dir);
        current = initial;
        log.info("Loaded {} services from {}", initial.services().size(), dir);
    }

    public Path path() {
        return dir;
    }

    /** The config in force; null before {@link #loadInitial()}. */
    public MeshConfig current() {
        return current;
    }

    /** The last rejected change, or null if the directory's latest state was accepted. */
    public RejectedChange lastRejected() {
        return lastRejected;
    }

    /** Called after an accepted change that differs from the config before. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Reads the directory again and applies it if it validates. A later accepted state clears
     * {@link #lastRejected()}, so that a non-null value always means: the files on disk are not what is served.
     */
    public synchronized void reload() {
        if (current == null) {
            return; // loadInitial() has not run yet, and will read the same files
        }
        MeshConfig loaded;
        try {
            loaded = loader.load(dir);
        } catch (ConfigException e) {
            reject(e.errors().stream().map(ConfigError::toString).toList());
            return;
        } catch (RuntimeException e) {
            // An unreadable file mid-rename, say: the same treatment as an invalid one, and we try again next time.
            reject(List.of(dir + ": " + e));
            return;
        }
        lastRejected = null;
        if (loaded.equals(current)) {
            log.debug("Config in {} changed on disk but not in content", dir);
            return;
        }
        current = loaded;
        log.info("Applied config change in {}: {} services", dir, loaded.services().size());
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    private void reject(List<String> errors) {
        RejectedChange previous = lastRejected;
        if (previous != null && previous.errors().equals(errors)) {
            // The same files read again (a re-scan racing a file event): nothing new to say.
            return;
        }
        lastRejected = new RejectedChange(clock.instant().toString(), errors);
        log.warn("Rejected config change in {}; the last good config stays in force:\n  {}", dir,
                String.join("\n  ", errors));
    }
}
