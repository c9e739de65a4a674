package io.weft.control.cli;

import io.weft.control.ControlPlane;
import io.weft.runtime.config.DurationFormat;

import io.weft.control.ca.CaSettings;
import io.weft.control.store.etcd.EtcdSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Parses {@code --name value} and {@code --name=value} options. */
public final class CommandLine {

    public static final String USAGE = """
            Usage: java -jar weft-control-plane.jar --config-dir DIR (--tokens FILE | --no-auth) [options]
                   java -jar weft-control-plane.jar --store etcd --etcd-endpoints URLS (--tokens FILE | --no-auth) ...
                   java -jar weft-control-plane.jar apply -f FILE --control-plane URL --admin-token T   (apply --help)

              --config-dir DIR       directory of mesh YAML files, watched for changes (required by the embedded store)
              --tokens FILE          YAML file of bearer tokens: services: { orders: <token>, ... }, admin: <token>
              --no-auth              run without authentication (local development only)
              --port N               port to listen on (default 15010; 0 picks a free one)
              --host ADDR            address to listen on (default 127.0.0.1)
              --instance-ttl D       how long a registered instance lives without a heartbeat (default 15s)

            Certificate authority (workload certificates with SPIFFE IDs, POST /v1/certificates):
              --ca-dir DIR           turn the CA on; its certificate and key are created here at first start
              --ca-root-cert FILE    issue from an intermediate under this root certificate (PEM) ...
              --ca-root-key FILE     ... and its unencrypted private key (PEM); both or neither
              --trust-domain TD      trust domain of issued SPIFFE IDs (default weft.local)
              --namespace NS         namespace of issued SPIFFE IDs (default default)
              --cert-ttl D           lifetime of workload certificates (default 24h)
              --tls                  serve the API over HTTPS with a certificate from the CA (needs --ca-dir)
              --tls-name NAME        another DNS name or IP for that certificate; repeat or separate by commas

            Store (where config, instances, the CA and versions live):
              --store S              embedded (default: --config-dir, memory, --ca-dir) or etcd (several replicas)
              --etcd-endpoints URLS  etcd client URLs, separated by commas (http://10.0.0.5:2379,http://10.0.0.6:2379)
              --etcd-prefix P        key prefix of this mesh in etcd (default /weft/)
              --ca-passphrase-file F with etcd: turn the CA on, its key kept in etcd encrypted with the passphrase in F
                                     (the same file on every replica)

              --help                 show this help
            """;

    private CommandLine() {
    }

    public static LaunchOptions parse(String... args) throws UsageException {
        Path configDir = null;
        Path tokens = null;
        boolean noAuth = false;
        int port = ControlPlane.DEFAULT_PORT;
        String host = ControlPlane.DEFAULT_HOST;
        Duration ttl = ControlPlane.DEFAULT_INSTANCE_TTL;
        Path caDir = null;
        Path caRootCert = null;
        Path caRootKey = null;
        String trustDomain = null;
        String namespace = null;
        Duration certTtl = null;
        boolean tls = false;
        List<String> tlsNames = new ArrayList<>();
        String store = "embedded";
        String etcdEndpoints = null;
        String etcdPrefix = null;
        Path caPassphraseFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            String inline = eq > 0 ? arg.substring(eq + 1) : null;
            switch (name) {
                case "--help", "-h" -> {
                    return new LaunchOptions(configDir, port, host, tokens, noAuth, ttl, true);
                }
                case "--no-auth" -> {
                    if (inline != null) {
                        throw new UsageException("--no-auth takes no value");
                    }
                    noAuth = true;
                }
                case "--tls" -> {
                    if (inline != null) {
                        throw new UsageException("--tls takes no value");
                    }
                    tls = true;
                }
                case "--config-dir", "--tokens", "--port", "--host", "--instance-ttl", "--ca-dir", "--ca-root-cert",
                     "--ca-root-key", "--trust-domain", "--namespace", "--cert-ttl", "--tls-name", "--store",
                     "--etcd-endpoints", "--etcd-prefix", "--ca-passphrase-file" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--config-dir" -> configDir = Path.of(value);
                        case "--tokens" -> tokens = Path.of(value);
                        case "--port" -> port = port(value);
                        case "--host" -> host = host(value);
                        case "--ca-dir" -> caDir = Path.of(value);
                        case "--ca-root-cert" -> caRootCert = file(name, value);
                        case "--ca-root-key" -> caRootKey = file(name, value);
                        case "--trust-domain" -> trustDomain = value.trim();
                        case "--namespace" -> namespace = value.trim();
                        case "--cert-ttl" -> certTtl = duration(name, value);
                        case "--tls-name" -> Arrays.stream(value.split(",")).map(String::trim)
                                .filter(n -> !n.isEmpty()).forEach(tlsNames::add);
                        case "--store" -> store = value.trim();
                        case "--etcd-endpoints" -> etcdEndpoints = value;
                        case "--etcd-prefix" -> etcdPrefix = value.trim();
                        case "--ca-passphrase-file" -> caPassphraseFile = file(name, value);
                        default -> ttl = duration(name, value);
                    }
                }
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        EtcdSettings etcd = store(store, configDir, etcdEndpoints, etcdPrefix, caDir, caPassphraseFile);
        if (tokens != null && noAuth) {
            throw new UsageException("--tokens and --no-auth exclude each other");
        }
        if (tokens == null && !noAuth) {
            throw new UsageException("refusing to start without authentication: give --tokens FILE, "
                    + "or --no-auth to run without it (local development only)");
        }
        if (tokens != null && !Files.isRegularFile(tokens)) {
            throw new UsageException("--tokens: '" + tokens + "' is not a file");
        }
        CaSettings ca = caSettings(caDir != null || caPassphraseFile != null, caDir, caRootCert, caRootKey,
                trustDomain, namespace, certTtl);
        if (tls && ca == null) {
            throw new UsageException("--tls serves a certificate from the control plane's CA: give --ca-dir DIR"
                    + " (--ca-passphrase-file FILE with --store etcd)");
        }
        if (!tls && !tlsNames.isEmpty()) {
            throw new UsageException("--tls-name needs --tls");
        }
        return new LaunchOptions(configDir, port, host, tokens, noAuth, ttl, false, ca, tls, tlsNames, etcd,
                caPassphraseFile);
    }

    /** The etcd store's settings, or null for the embedded store; checks that the options fit the store. */
    private static EtcdSettings store(String store, Path configDir, String endpoints, String prefix, Path caDir,
                                      Path caPassphraseFile) throws UsageException {
        switch (store) {
            case "embedded" -> {
                if (endpoints != null || prefix != null || caPassphraseFile != null) {
                    throw new UsageException(
                            "--etcd-endpoints, --etcd-prefix and --ca-passphrase-file need --store etcd");
                }
                if (configDir == null) {
                    throw new UsageException("--config-dir DIR is required");
                }
                if (!Files.isDirectory(configDir)) {
                    throw new UsageException("--config-dir: '" + configDir + "' is not a directory");
                }
                return null;
            }
            case "etcd" -> {
                if (configDir != null) {
                    throw new UsageException("--config-dir is for the embedded store; with --store etcd, config lives "
                            + "in etcd and is written with: apply -f FILE");
                }
                if (caDir != null) {
                    throw new UsageException("--ca-dir is for the embedded store; with --store etcd, the CA lives in "
                            + "etcd: give --ca-passphrase-file FILE");
                }
                if (endpoints == null || endpoints.isBlank()) {
                    throw new UsageException("--store etcd needs --etcd-endpoints URLS, e.g. http://127.0.0.1:2379");
                }
                try {
                    EtcdSettings settings = EtcdSettings.of(endpoints);
                    return prefix == null ? settings : settings.withPrefix(prefix);
                } catch (IllegalArgumentException e) {
                    throw new UsageException((e.getMessage().contains("prefix") ? "--etcd-prefix: "
                            : "--etcd-endpoints: ") + e.getMessage());
                }
            }
            default -> throw new UsageException("--store: '" + store + "' is not a store; use embedded or etcd");
        }
    }

    private static CaSettings caSettings(boolean on, Path dir, Path rootCert, Path rootKey, String trustDomain,
                                         String namespace, Duration ttl) throws UsageException {
        if (!on) {
            if (rootCert != null || rootKey != null || trustDomain != null || namespace != null || ttl != null) {
                throw new UsageException("--ca-root-cert, --ca-root-key, --trust-domain, --namespace and --cert-ttl "
                        + "need --ca-dir DIR (--ca-passphrase-file FILE with --store etcd)");
            }
            return null;
        }
        if ((rootCert == null) != (rootKey == null)) {
            throw new UsageException("--ca-root-cert and --ca-root-key go together");
        }
        try {
            return new CaSettings(dir, rootCert, rootKey, trustDomain, namespace, ttl);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Path file(String option, String value) throws UsageException {
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new UsageException(option + ": '" + value + "' is not a file");
        }
        return path;
    }

    private static int port(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the usage error
        }
        throw new UsageException("--port: '" + value + "' is not a port number (0..65535)");
    }

    private static String host(String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException("--host: give an address, such as 127.0.0.1 or 0.0.0.0");
        }
        return value.trim();
    }

    private static Duration duration(String option, String value) throws UsageException {
        Duration ttl;
        try {
            ttl = DurationFormat.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
        if (ttl.isZero()) {
            throw new UsageException(option + ": must be longer than 0");
        }
        return ttl;
    }
}
