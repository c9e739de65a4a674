package io.weft.sidecar.cli;

import io.weft.runtime.config.DurationFormat;
import io.weft.sidecar.ProxyLimits;
import io.weft.sidecar.SidecarSettings;
import io.weft.sidecar.SidecarTelemetry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code weft-sidecar [options] [run -- <app command...>]}. Every error names the flag at fault.
 * Options take {@code --name value} or {@code --name=value}.
 */
public final class CommandLine {

    /** One option: its name, the placeholder of its value, its help line, and how it changes the settings. */
    private record Option(String name, String value, String help, Setter setter) {
    }

    @FunctionalInterface
    private interface Setter {
        void apply(Parsed p, String flag, String value) throws UsageException;
    }

    /** The settings being built, with the values that need more than one flag to place. */
    private static final class Parsed {
        final SidecarSettings.Builder settings = SidecarSettings.builder();
        ProxyLimits limits = ProxyLimits.defaults();
        String controlPlane;
        String token;
        String outboundBind = "127.0.0.1";
        int outboundPort = SidecarSettings.DEFAULT_OUTBOUND_PORT;
        String inboundBind = "0.0.0.0";
        int inboundPort = SidecarSettings.DEFAULT_INBOUND_PORT;
        String appHost = "127.0.0.1";
        Integer appPort;
        boolean httpProxyEnv;
        String adminBind = "127.0.0.1";
        Integer adminPort;
        String otlpEndpoint;
        double traceSampling = 1.0;
        SidecarTelemetry telemetry = SidecarTelemetry.NONE;
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("--service", "NAME", "this app's mesh service: its identity, and the TLS mode and "
                    + "authorization rules of its inbound listener (needed with --control-plane)",
                    (p, f, v) -> p.settings.service(v)),
            new Option("--app-port", "PORT", "the app's local port; enables the inbound listener and registration",
                    (p, f, v) -> p.appPort = port(f, v, false)),
            new Option("--app-host", "HOST", "the app's local address (default 127.0.0.1)",
                    (p, f, v) -> p.appHost = v),
            new Option("--control-plane", "URL", "control plane to take config from, e.g. http://127.0.0.1:15010",
                    (p, f, v) -> p.controlPlane = url(f, v)),
            new Option("--token", "TOKEN", "bearer token of this service at the control plane (default: $WEFT_TOKEN)",
                    (p, f, v) -> p.token = v),
            new Option("--config-file", "PATH", "static mesh config (YAML/JSON file or directory), without or before a control plane",
                    (p, f, v) -> p.settings.configFile(existing(f, v))),
            new Option("--control-plane-ca", "FILE", "PEM file of the CA an https control plane's certificate chains to "
                    + "(root.pem in its --ca-dir)", (p, f, v) -> p.settings.controlPlaneCa(readableFile(f, v))),
            new Option("--cache-dir", "DIR", "where the last good config is kept for restarts without a control plane",
                    (p, f, v) -> p.settings.cacheDir(Path.of(v))),
            new Option("--outbound-port", "PORT", "outbound listener port, for the app's calls (default 15001)",
                    (p, f, v) -> p.outboundPort = port(f, v, true)),
            new Option("--outbound-bind", "ADDR", "outbound listener address (default 127.0.0.1: only the local app)",
                    (p, f, v) -> p.outboundBind = v),
            new Option("--inbound-port", "PORT", "inbound listener port, for mesh traffic to the app (default 15006)",
                    (p, f, v) -> p.inboundPort = port(f, v, true)),
            new Option("--inbound-bind", "ADDR", "inbound listener address (default 0.0.0.0)",
                    (p, f, v) -> p.inboundBind = v),
            new Option("--advertise-address", "ADDR", "address other members reach the inbound listener at (default: derived)",
                    (p, f, v) -> p.settings.advertiseAddress(v)),
            new Option("--label", "K=V", "label of the registered instance, e.g. version=v2 (repeatable)",
                    CommandLine::label),
            new Option("--drain-timeout", "DURATION", "how long requests in flight may take to finish on shutdown (default 15s)",
                    (p, f, v) -> p.settings.drainTimeout(duration(f, v))),
            new Option("--ready-timeout", "DURATION", "run mode: how long to wait for the first config before giving up (default 30s)",
                    (p, f, v) -> p.settings.readyTimeout(duration(f, v))),
            new Option("--workers", "N", "event-loop threads (default: one per core)",
                    (p, f, v) -> p.settings.workerThreads(positive(f, v))),
            new Option("--max-connections", "N", "downstream connections per listener (default 10000)",
                    (p, f, v) -> p.limits = p.limits.withMaxConnections(positive(f, v))),
            new Option("--max-header-size", "BYTES", "request header bytes; more gets 431 (default 16384)",
                    (p, f, v) -> p.limits = p.limits.withMaxHeaderSize(positive(f, v))),
            new Option("--max-request-line", "BYTES", "request line bytes; more gets 414 (default 8192)",
                    (p, f, v) -> p.limits = p.limits.withMaxRequestLine(positive(f, v))),
            new Option("--header-timeout", "DURATION", "time to receive request headers; longer gets 408 (default 10s)",
                    (p, f, v) -> p.limits = p.limits.withHeaderTimeout(duration(f, v))),
            new Option("--idle-timeout", "DURATION", "close downstream connections idle this long (default 60s)",
                    (p, f, v) -> p.limits = p.limits.withIdleTimeout(duration(f, v))),
            new Option("--max-concurrent-streams", "N", "HTTP/2 streams per downstream connection (default 1000)",
                    (p, f, v) -> p.limits = p.limits.withMaxConcurrentStreams(positive(f, v))),
            new Option("--upstream-connections", "N", "HTTP/1.1 connections per endpoint and worker (default 128)",
                    (p, f, v) -> p.limits = p.limits.withUpstreamConnections(positive(f, v))),
            new Option("--upstream-idle-timeout", "DURATION", "close pooled upstream connections idle this long (default 60s)",
                    (p, f, v) -> p.limits = p.limits.withUpstreamIdleTimeout(duration(f, v))),
            new Option("--connect-timeout", "DURATION", "upstream TCP connect timeout (default 5s)",
                    (p, f, v) -> p.limits = p.limits.withConnectTimeout(duration(f, v))),
            new Option("--admin-port", "PORT", "admin port: /ready, /stats/prometheus, /config_dump, /clusters, /explain "
                    + "(off by default; 15000 is customary; 0 picks one)",
                    (p, f, v) -> p.adminPort = port(f, v, true)),
            new Option("--admin-bind", "ADDR", "admin port address (default 127.0.0.1)",
                    (p, f, v) -> p.adminBind = v),
            new Option("--access-log", null, "one JSON line per proxied call on stderr (logger weft.access)",
                    (p, f, v) -> p.telemetry = p.telemetry.withAccessLog()),
            new Option("--otlp-endpoint", "URL", "OTLP/HTTP collector for a client span per attempt, e.g. http://127.0.0.1:4318",
                    (p, f, v) -> p.otlpEndpoint = url(f, v)),
            new Option("--trace-sampling", "RATIO", "share of new traces sampled, 0 to 1 (default 1)",
                    (p, f, v) -> p.traceSampling = ratio(f, v)),
            new Option("--http-proxy-env", null, "run mode: also set HTTP_PROXY/http_proxy for the app (plain-HTTP calls to "
                    + "non-mesh hosts then fail: list them in NO_PROXY)",
                    (p, f, v) -> p.httpProxyEnv = true));

    private CommandLine() {
    }

    public static Command parse(String[] args, Map<String, String> env) throws UsageException {
        Map<String, Option> byName = new LinkedHashMap<>();
        OPTIONS.forEach(o -> byName.put(o.name(), o));
        Parsed p = new Parsed();
        p.token = env.get("WEFT_TOKEN");
        List<String> appCommand = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return Command.helpOnly();
            }
            if (arg.equals("run")) {
                int start = i + 1 < args.length && args[i + 1].equals("--") ? i + 2 : i + 1;
                for (int j = start; j < args.length; j++) {
                    appCommand.add(args[j]);
                }
                if (appCommand.isEmpty()) {
                    throw new UsageException("run: give the app's command after it, as in: run -- python3 app.py");
                }
                break;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "': options start with --, the app's command follows 'run --'");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Option option = byName.get(name);
            if (option == null) {
                throw new UsageException("unknown option " + name + " (see --help)");
            }
            String value = null;
            if (option.value() != null) {
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                } else {
                    throw new UsageException(name + " needs a value: " + name + " " + option.value());
                }
                if (value.isBlank()) {
                    throw new UsageException(name + " needs a value: " + name + " " + option.value());
                }
            } else if (eq >= 0) {
                throw new UsageException(name + " takes no value");
            }
            option.setter().apply(p, name, value);
        }
        p.settings.outbound(p.outboundBind, p.outboundPort).inbound(p.inboundBind, p.inboundPort).limits(p.limits);
        if (p.appPort != null) {
            p.settings.app(p.appHost, p.appPort);
        }
        SidecarTelemetry telemetry = p.telemetry.withTracing(p.otlpEndpoint, p.traceSampling);
        if (p.adminPort != null) {
            telemetry = telemetry.withAdmin(p.adminBind, p.adminPort);
        }
        p.settings.telemetry(telemetry);
        if (p.controlPlane != null) {
            p.settings.controlPlane(p.controlPlane, p.token);
        }
        try {
            return new Command(p.settings.build(), List.copyOf(appCommand), p.httpProxyEnv, false);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder("""
                usage: java -jar weft-sidecar.jar [options]                       proxy only
                       java -jar weft-sidecar.jar [options] run -- <app command>  start the app once the sidecar is ready

                options:
                """);
        for (Option o : OPTIONS) {
            String left = o.name() + (o.value() == null ? "" : " " + o.value());
            sb.append("  ").append(left).append(" ".repeat(Math.max(1, 34 - left.length()))).append(o.help()).append('\n');
        }
        return sb.toString();
    }

    private static Path readableFile(String flag, String v) throws UsageException {
        Path file = Path.of(v);
        if (!java.nio.file.Files.isReadable(file)) {
            throw new UsageException(flag + ": '" + v + "' is not a readable file");
        }
        return file;
    }

    private static int port(String flag, String v, boolean zeroAllowed) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": '" + v + "' is not a port number");
        }
        if (n < (zeroAllowed ? 0 : 1) || n > 65535) {
            throw new UsageException(flag + ": " + n + " is outside " + (zeroAllowed ? "0" : "1") + "..65535");
        }
        return n;
    }

    private static int positive(String flag, String v) throws UsageException {
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + ": '" + v + "' is not a positive whole number");
    }

    private static Duration duration(String flag, String v) throws UsageException {
        try {
            return DurationFormat.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + ": " + e.getMessage());
        }
    }

    private static double ratio(String flag, String v) throws UsageException {
        try {
            double r = Double.parseDouble(v.trim());
            if (r >= 0 && r <= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + ": '" + v + "' is not a number from 0 to 1");
    }

    private static String url(String flag, String v) throws UsageException {
        if (!v.startsWith("http://") && !v.startsWith("https://")) {
            throw new UsageException(flag + ": '" + v + "' is not an http:// or https:// URL");
        }
        try {
            java.net.URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + ": '" + v + "' is not a URL: " + e.getMessage());
        }
        return v;
    }

    private static Path existing(String flag, String v) throws UsageException {
        Path path = Path.of(v);
        if (!Files.exists(path)) {
            throw new UsageException(flag + ": " + v + " does not exist");
        }
        return path;
    }

    private static void label(Parsed p, String flag, String v) throws UsageException {
        int eq = v.indexOf('=');
        if (eq <= 0 || eq == v.length() - 1) {
            throw new UsageException(flag + ": '" + v + "' is not name=value, as in version=v2");
        }
        p.settings.label(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
    }
}
