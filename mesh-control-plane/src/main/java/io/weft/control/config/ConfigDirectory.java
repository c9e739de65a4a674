package io.weft.control.config;

import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.MeshConfig;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The mesh config of a directory of YAML files: the last config that validated as a whole, and the last change
 * that did not. A rejected change leaves the last good config in force.
 */
public final class ConfigDirectory {

    private final Path dir;
    private final ConfigLoader loader;
    private final ValidatedConfig config;

    public ConfigDirectory(Path dir, ConfigLoader loader, Clock clock) {
        this.dir = dir;
        this.loader = loader;
        this.config = new ValidatedConfig(dir.toString(), clock);
    }

    /**
     * The first load. Unlike a {@link #reload()}, an invalid config here is a {@link ConfigException}: there is
     * no last good config to keep serving.
     */
    public void loadInitial() {
        config.initial(loader.load(dir));
    }

    public Path path() {
        return dir;
    }

    /** The config in force; null before {@link #loadInitial()}. */
    public MeshConfig current() {
        return config.current();
    }

    /** The last rejected change, or null if the directory's latest state was accepted. */
    public RejectedChange lastRejected() {
        return config.lastRejected();
    }

    /** Called after an accepted change that differs from the config before. */
    public void onChange(Runnable listener) {
        config.onChange(listener);
    }

    /** Reads the directory again and applies it if it validates; see {@link ValidatedConfig#offer}. */
    public void reload() {
        if (config.current() == null) {
            return; // loadInitial() has not run yet, and will read the same files
        }
        config.offer(() -> loader.load(dir));
    }
}
