package io.weft.control.cli;

import io.weft.runtime.control.ControlPlaneReplicas;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The command line of {@code apply}, parsed; the admin token from the option, its file, or the environment. */
record ApplyOptions(Path file, List<URI> controlPlanes, String token, Long revision, Path caCert, boolean help) {

    static ApplyOptions parse(String[] args, Map<String, String> env) throws UsageException {
        Path file = null;
        String controlPlane = null;
        String token = null;
        Path tokenFile = null;
        Long revision = null;
        Path caCert = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (name.equals("--help") || name.equals("-h")) {
                return new ApplyOptions(null, List.of(), null, null, null, true);
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value");
            }
            switch (name) {
                case "-f", "--file" -> file = Path.of(value);
                case "--control-plane" -> controlPlane = value;
                case "--admin-token" -> token = value;
                case "--admin-token-file" -> tokenFile = Path.of(value);
                case "--revision" -> revision = revision(value);
                case "--ca-cert" -> caCert = Path.of(value);
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        if (file == null) {
            throw new UsageException("-f FILE is required");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException("-f: '" + file + "' is not a file");
        }
        if (controlPlane == null || controlPlane.isBlank()) {
            throw new UsageException("--control-plane URL is required");
        }
        if (token != null && tokenFile != null) {
            throw new UsageException("--admin-token and --admin-token-file exclude each other");
        }
        if (tokenFile != null) {
            try {
                token = SecretFiles.readLine(tokenFile);
            } catch (IOException e) {
                throw new UsageException("--admin-token-file: " + e.getMessage());
            }
        }
        if (token == null) {
            token = env.get("WEFT_ADMIN_TOKEN");
        }
        if (caCert != null && !Files.isRegularFile(caCert)) {
            throw new UsageException("--ca-cert: '" + caCert + "' is not a file");
        }
        return new ApplyOptions(file, urls(controlPlane), token, revision, caCert, false);
    }

    private static Long revision(String value) throws UsageException {
        try {
            long revision = Long.parseLong(value.trim());
            if (revision >= 0) {
                return revision;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("--revision: '" + value + "' is not a revision (0 or more)");
    }

    private static List<URI> urls(String commaSeparated) throws UsageException {
        try {
            List<URI> urls = ControlPlaneReplicas.parse(commaSeparated).all();
            for (URI url : urls) {
                if (url.getHost() == null) {
                    throw new IllegalArgumentException("control plane URL '" + url + "' has no host");
                }
            }
            return urls;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--control-plane: " + e.getMessage());
        }
    }
}
