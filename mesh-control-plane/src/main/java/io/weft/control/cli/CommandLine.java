package io.weft.control.cli;

import io.weft.control.ControlPlane;
import io.weft.runtime.config.DurationFormat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Parses {@code --name value} and {@code --name=value} options. */
public final class CommandLine {

    public static final String USAGE = """
            Usage: java -jar weft-control-plane.jar --config-dir DIR (--tokens FILE | --no-auth) [options]

              --config-dir DIR       directory of mesh YAML files, watched for changes (required)
              --tokens FILE          YAML file of bearer tokens: services: { orders: <token>, ... }
              --no-auth              run without authentication (local development only)
              --port N               port to listen on (default 15010; 0 picks a free one)
              --host ADDR            address to listen on (default 127.0.0.1)
              --instance-ttl D       how long a registered instance lives without a heartbeat (default 15s)
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
                case "--config-dir", "--tokens", "--port", "--host", "--instance-ttl" -> {
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
                        default -> ttl = ttl(value);
                    }
                }
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        if (configDir == null) {
            throw new UsageException("--config-dir DIR is required");
        }
        if (!Files.isDirectory(configDir)) {
            throw new UsageException("--config-dir: '" + configDir + "' is not a directory");
        }
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
        return new LaunchOptions(configDir, port, host, tokens, noAuth, ttl, false);
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

    private static Duration ttl(String value) throws UsageException {
        Duration ttl;
        try {
            ttl = DurationFormat.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--instance-ttl: " + e.getMessage());
        }
        if (ttl.isZero()) {
            throw new UsageException("--instance-ttl: must be longer than 0");
        }
        return ttl;
    }
}
