package io.weft.control;

import io.weft.control.auth.Authenticator;
import io.weft.control.auth.TokenAuthenticator;
import io.weft.control.ca.CaSettings;
import io.weft.control.store.etcd.EtcdSettings;
import io.weft.runtime.config.ConfigException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 *
 * <p>With {@link Builder#caDir(Path)} it is also the mesh's certificate authority ({@code POST /v1/certificates},
 * {@code GET /v1/trust-bundle}), and with {@link Builder#tls()} it serves its API over HTTPS with a certificate
 * from that CA.
 *
 * <p>With {@link Builder#etcd(EtcdSettings)} instead of a config directory, config documents, registered
 * instances, the CA ({@link Builder#caKeyPassphrase}) and versions live in etcd, and any number of replicas serve
 * the same mesh; config is then written through the admin API ({@link Builder#adminToken}).
 */
public final class ControlPlane {

    public static final int DEFAULT_PORT = 15010;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_INSTANCE_TTL = Duration.ofSeconds(15);

    /** Null with etcd. */
    final Path configDir;
    /** Null for the embedded store. */
    final EtcdSettings etcd;
    final String host;
    final int port;
    final Authenticator authenticator;
    final boolean noAuth;
    final Duration instanceTtl;
    final int workerThreads;
    final Duration configDebounce;
    final Duration configRescanInterval;
    /** Null when the CA is off. */
    final CaSettings ca;
    /** With etcd and the CA on: what the CA key is encrypted with there. */
    final char[] caKeyPassphrase;
    final boolean tls;
    final List<String> tlsNames;

    private ControlPlane(Builder b) {
        this.configDir = b.configDir;
        this.etcd = b.etcd;
        this.host = b.host;
        this.port = b.port;
        this.authenticator = b.noAuth ? Authenticator.none() : new TokenAuthenticator(b.tokens, b.adminToken);
        this.noAuth = b.noAuth;
        this.instanceTtl = b.instanceTtl;
        this.workerThreads = b.workerThreads;
        this.configDebounce = b.configDebounce;
        this.configRescanInterval = b.configRescanInterval;
        this.ca = b.caDir == null && b.caKeyPassphrase == null ? null : new CaSettings(b.caDir, b.caRootCert,
                b.caRootKey, b.trustDomain, b.namespace, b.certificateTtl);
        this.caKeyPassphrase = b.caKeyPassphrase;
        this.tls = b.tls;
        this.tlsNames = b.tlsNames;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads the config directory (or etcd's state), starts following it, and starts serving.
     *
     * @throws ConfigException           if the config is invalid; there is nothing to serve yet
     * @throws java.io.UncheckedIOException if the port cannot be bound or the directory cannot be watched
     * @throws io.weft.control.store.StoreUnavailableException if etcd cannot be reached
     */
    public RunningControlPlane start() {
        return RunningControlPlane.start(this);
    }

    public static final class Builder {
        private Path configDir;
        private EtcdSettings etcd;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Map<String, String> tokens;
        private String adminToken;
        private boolean noAuth;
        private Duration instanceTtl = DEFAULT_INSTANCE_TTL;
        private int workerThreads = 2;
        private Duration configDebounce = Duration.ofMillis(150);
        private Duration configRescanInterval = Duration.ofSeconds(5);
        private Path caDir;
        private Path caRootCert;
        private Path caRootKey;
        private String trustDomain;
        private String namespace;
        private Duration certificateTtl;
        private char[] caKeyPassphrase;
        private boolean tls;
        private List<String> tlsNames = List.of();

        private Builder() {
        }

        /**
         * Turns the certificate authority on, keeping its certificate and key in {@code dir}: created at first
         * start (a root of its own, or an intermediate under {@link #caRoot}), reused after.
         */
        public Builder caDir(Path dir) {
            this.caDir = Objects.requireNonNull(dir);
            return this;
        }

        /**
         * Turns the certificate authority on with {@link #etcd}: its certificate and key live in etcd, created by
         * the first replica to start and used by all, the key encrypted with this passphrase. Every replica needs
         * the same one.
         */
        public Builder caKeyPassphrase(char[] passphrase) {
            if (passphrase == null || passphrase.length == 0) {
                throw new IllegalArgumentException("the CA key passphrase is empty");
            }
            this.caKeyPassphrase = passphrase.clone();
            return this;
        }

        /** Issue from an intermediate under the organization's own root, instead of a root of our own. */
        public Builder caRoot(Path rootCertPem, Path rootKeyPem) {
            this.caRootCert = Objects.requireNonNull(rootCertPem);
            this.caRootKey = Objects.requireNonNull(rootKeyPem);
            return this;
        }

        /** The trust domain of issued SPIFFE IDs; {@code weft.local} by default. */
        public Builder trustDomain(String trustDomain) {
            this.trustDomain = Objects.requireNonNull(trustDomain);
            return this;
        }

        /** The namespace of issued SPIFFE IDs ({@code spiffe://<td>/ns/<namespace>/sa/<service>}); {@code default}. */
        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace);
            return this;
        }

        /** Lifetime of workload certificates; 24 h by default, at least 1 s (tests). */
        public Builder certificateTtl(Duration ttl) {
            this.certificateTtl = Objects.requireNonNull(ttl);
            return this;
        }

        /**
         * Serves the API over HTTPS only, with a server certificate from the CA for the bind address, 127.0.0.1,
         * localhost and {@link #tlsNames}. Needs {@link #caDir}. Clients trust the CA's trust bundle.
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** More names (DNS names or IP addresses) clients reach the API by, for the server certificate. */
        public Builder tlsNames(List<String> names) {
            this.tlsNames = List.copyOf(names);
            return this;
        }

        /** The directory of YAML files, one service per document; this or {@link #etcd} is required. */
        public Builder configDir(Path configDir) {
            this.configDir = configDir;
            return this;
        }

        /**
         * Keeps config, registered instances, the CA and versions in etcd instead of a directory and memory, so
         * that several replicas serve one mesh. Config is then written through the admin API.
         */
        public Builder etcd(EtcdSettings settings) {
            this.etcd = Objects.requireNonNull(settings);
            return this;
        }

        /** The token of the admin API ({@code /v1/config}); it must differ from every service's token. */
        public Builder adminToken(String token) {
            this.adminToken = Objects.requireNonNull(token);
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

        /**
         * @throws IllegalStateException if neither or both of config dir and etcd are given, neither or both auth
         *                               modes are chosen, or options do not fit together
         */
        public ControlPlane build() {
            if (configDir == null && etcd == null) {
                throw new IllegalStateException("configDir or etcd(...) is required");
            }
            if (configDir != null && etcd != null) {
                throw new IllegalStateException("configDir and etcd(...) exclude each other: with etcd, config "
                        + "lives in etcd and is written through the admin API");
            }
            if (noAuth && tokens != null) {
                throw new IllegalStateException("tokens and noAuth exclude each other");
            }
            if (!noAuth && tokens == null) {
                throw new IllegalStateException(
                        "no authentication configured: give tokens, or call noAuth() to run without (local dev only)");
            }
            if (noAuth && adminToken != null) {
                throw new IllegalStateException("adminToken and noAuth exclude each other");
            }
            if (etcd != null && caDir != null) {
                throw new IllegalStateException(
                        "with etcd the CA lives in etcd: give caKeyPassphrase(...), not caDir(...)");
            }
            if (etcd == null && caKeyPassphrase != null) {
                throw new IllegalStateException(
                        "caKeyPassphrase(...) is for a CA in etcd; the embedded store uses caDir(...)");
            }
            boolean caOn = caDir != null || caKeyPassphrase != null;
            if (!caOn && (caRootCert != null || trustDomain != null || namespace != null
                    || certificateTtl != null)) {
                throw new IllegalStateException("CA options (root, trust domain, namespace, certificate TTL) "
                        + "need caDir(...) (or caKeyPassphrase(...) with etcd) to turn the certificate authority on");
            }
            if (tls && !caOn) {
                throw new IllegalStateException("tls() serves a certificate from the control plane's CA: give caDir(...)");
            }
            if (!tls && !tlsNames.isEmpty()) {
                throw new IllegalStateException("tlsNames(...) without tls()");
            }
            try {
                return new ControlPlane(this);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
