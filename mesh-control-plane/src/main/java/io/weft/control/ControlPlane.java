package io.weft.control;

import io.weft.control.auth.Authenticator;
import io.weft.control.auth.TokenAuthenticator;
import io.weft.runtime.config.ConfigException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A configured, not yet started control plane. For embedding and tests:
 * <pre>{@code
 * try (RunningControlPlane cp = ControlPlane.builder()
 *         .configDir(Path.of("mesh")).port(0).noAuth()
 *         .build().start()) {
 *     int port = cp.port();
 * }
 * }</pre>
 * The command line ({@link Main}) builds the same thing from its options.
 */
public final class ControlPlane {

    public static final int DEFAULT_PORT = 15010;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_INSTANCE_TTL = Duration.ofSeconds(15);

    final Path configDir;
    final String host;
    final int port;
    final Authenticator authenticator;
    final Duration instanceTtl;
    final int workerThreads;
    final Duration configDebounce;
    final Duration configRescanInterval;

    private ControlPlane(Builder b) {
        this.configDir = b.configDir;
        this.host = b.host;
        this.port = b.port;
        this.authenticator = b.noAuth ? Authenticator.none() : new TokenAuthenticator(b.tokens);
        this.instanceTtl = b.instanceTtl;
        this.workerThreads = b.workerThreads;
        this.configDebounce = b.configDebounce;
        this.configRescanInterval = b.configRescanInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads the config directory, starts watching it, and starts serving.
     *
     * @throws ConfigException           if the directory's config is invalid; there is nothing to serve yet
     * @throws java.io.UncheckedIOException if the port cannot be bound or the directory cannot be watched
     */
    public RunningControlPlane start() {
        return RunningControlPlane.start(this);
    }

    public static final class Builder {
        private Path configDir;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Map<String, String> tokens;
        private boolean noAuth;
        private Duration instanceTtl = DEFAULT_INSTANCE_TTL;
        private int workerThreads = 2;
        private Duration configDebounce = Duration.ofMillis(150);
        private Duration configRescanInterval = Duration.ofSeconds(5);

        private Builder() {
        }

        /** The directory of YAML files, one service per document; required. */
        public Builder configDir(Path configDir) {
            this.configDir = configDir;
            return this;
        }

        /** The address to listen on; 127.0.0.1 unless told otherwise, as the API is plain HTTP. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** 0 picks a free port; see {@link RunningControlPlane#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535");
            }
            this.port = port;
            return this;
        }

        /** Service name to its bearer token. Either this or {@link #noAuth()} is required. */
        public Builder tokens(Map<String, String> serviceToToken) {
            this.tokens = Map.copyOf(serviceToToken);
            return this;
        }

        /** Turns authentication off: anyone reaching the port may read and register anything. Local dev only. */
        public Builder noAuth() {
            this.noAuth = true;
            return this;
        }

        /** How long a registered instance lives without a heartbeat. */
        public Builder instanceTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("instance TTL must be positive, not " + ttl);
            }
            this.instanceTtl = ttl;
            return this;
        }

        /** Event-loop threads of the HTTP server; 1 or 2 carry thousands of long polls. */
        public Builder workerThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("at least one worker thread is needed");
            }
            this.workerThreads = threads;
            return this;
        }

        /** How often the config directory is re-scanned in case a file event was missed; 5 s by default. */
        public Builder configRescanInterval(Duration interval) {
            this.configRescanInterval = Objects.requireNonNull(interval);
            return this;
        }

        /** How long to let a burst of file events settle before reloading; 150 ms by default. */
        public Builder configDebounce(Duration debounce) {
            this.configDebounce = Objects.requireNonNull(debounce);
            return this;
        }

        /** @throws IllegalStateException if the config dir is missing, or neither or both auth modes are chosen */
        public ControlPlane build() {
            if (configDir == null) {
                throw new IllegalStateException("configDir is required");
            }
            if (noAuth && tokens != null) {
                throw new IllegalStateException("tokens and noAuth exclude each other");
            }
            if (!noAuth && tokens == null) {
                throw new IllegalStateException(
                        "no authentication configured: give tokens, or call noAuth() to run without (local dev only)");
            }
            return new ControlPlane(this);
        }
    }
}
