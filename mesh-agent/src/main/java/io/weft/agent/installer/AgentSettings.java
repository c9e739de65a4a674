package io.weft.agent.installer;

import io.weft.api.ServiceName;
import io.weft.runtime.config.DurationFormat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The agent's settings, from agent arguments ({@code -javaagent:weft-agent.jar=service=orders,controlPlane=…}),
 * system properties ({@code -Dweft.service=orders}) or the environment ({@code WEFT_SERVICE=orders}), in that
 * order of precedence. A setting that is unknown or malformed is reported as a warning naming it and ignored:
 * the app still starts.
 */
record AgentSettings(boolean enabled, String service, String controlPlane, String token, Path controlPlaneCa,
                     Path config, Path cacheDir,
                     List<String> hostSuffixes, Set<String> disabled, Duration awaitConfig, String logLevel,
                     Telemetry telemetry, List<String> warnings) {

    /**
     * What the agent reports, and where.
     *
     * @param adminPort     the admin port on 127.0.0.1, or -1 for none
     * @param otlpEndpoint  the OTLP/HTTP collector for Weft's spans, or null for no tracing
     * @param traceSampling the share of new traces sampled
     */
    record Telemetry(int adminPort, boolean accessLog, URI otlpEndpoint, double traceSampling) {
        static final Telemetry NONE = new Telemetry(-1, false, null, 1.0);
    }

    /** Every setting, with what it means: the table in the agent's README is this one. */
    static final Map<String, String> KNOWN = knownSettings();

    static final Set<String> INSTRUMENTATIONS = Set.of("okhttp", "jdk-http-client", "url-connection", "grpc");

    private static Map<String, String> knownSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("enabled", "false turns the agent off");
        m.put("service", "this application's service name (its identity towards the control plane)");
        m.put("controlPlane", "control plane URL, such as http://127.0.0.1:15010; replicas separated by ';' are failed "
                + "over between");
        m.put("token", "bearer token of the service at the control plane");
        m.put("controlPlaneCa", "PEM file of the CA an https control plane's certificate chains to (root.pem in its "
                + "--ca-dir)");
        m.put("config", "a YAML/JSON file or directory of mesh config, used when there is no control plane");
        m.put("cacheDir", "where the last good snapshot is kept");
        m.put("hostSuffixes", "other names of every service, ';'-separated, such as .svc.cluster.local");
        m.put("disabled", "instrumentations to leave out, ';'-separated: okhttp, jdk-http-client, url-connection, grpc");
        m.put("awaitConfig", "how long the first meshed call may wait for the first config (default 5s)");
        m.put("logLevel", "the agent's log level: error, warn, info (default), debug");
        m.put("adminPort", "serves /ready, /stats/prometheus, /config_dump, /clusters and /explain on 127.0.0.1 at "
                + "this port (off by default; 0 picks one and logs it)");
        m.put("accessLog", "true writes one JSON line per meshed call to the logger weft.access (stderr)");
        m.put("otlpEndpoint", "OTLP/HTTP collector for a client span per attempt, such as http://127.0.0.1:4318 "
                + "(no tracing without it; none either when the OpenTelemetry agent is there, which traces the calls)");
        m.put("traceSampling", "share of new traces sampled, 0 to 1 (default 1); a caller's decision is kept");
        return m;
    }

    static AgentSettings read(String agentArgs, Function<String, String> sysprops, Function<String, String> env) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> args = parseArgs(agentArgs, warnings);
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : KNOWN.keySet()) {
            String v = args.get(key);
            if (v == null) {
                v = sysprops.apply("weft." + key);
            }
            if (v == null) {
                v = env.apply(envName(key));
            }
            if (v != null && !v.isBlank()) {
                values.put(key, v.trim());
            }
        }
        Parser p = new Parser(values, warnings);
        boolean enabled = p.bool("enabled", true);
        String service = p.get("service", s -> {
            if (!ServiceName.isValid(s)) {
                throw new IllegalArgumentException("'" + s + "' is not a valid service name");
            }
            return s;
        }, null);
        String controlPlane = p.get("controlPlane", s -> {
            List<String> urls = new ArrayList<>();
            for (String part : s.split(";")) {
                urls.add(httpUrl(part.trim()).toString());
            }
            return String.join(",", urls);
        }, null);
        String token = values.get("token");
        Path controlPlaneCa = p.get("controlPlaneCa", s -> {
            Path file = Path.of(s);
            if (!java.nio.file.Files.isReadable(file)) {
                throw new IllegalArgumentException("'" + s + "' is not a readable file");
            }
            return file;
        }, null);
        Path config = p.get("config", Path::of, null);
        Path cacheDir = p.get("cacheDir", Path::of, null);
        List<String> suffixes = p.get("hostSuffixes", s -> {
            List<String> list = new ArrayList<>();
            for (String part : s.split(";")) {
                String suffix = part.trim();
                if (!suffix.startsWith(".")) {
                    throw new IllegalArgumentException("'" + suffix + "' does not start with '.'");
                }
                list.add(suffix);
            }
            return list;
        }, List.of());
        Set<String> disabled = p.get("disabled", s -> {
            Set<String> set = new java.util.TreeSet<>();
            for (String part : s.split(";")) {
                String name = part.trim().toLowerCase(Locale.ROOT);
                if (!INSTRUMENTATIONS.contains(name)) {
                    throw new IllegalArgumentException("unknown instrumentation '" + name + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(INSTRUMENTATIONS)) + ")");
                }
                set.add(name);
            }
            return set;
        }, Set.of());
        Duration await = p.get("awaitConfig", DurationFormat::parse, Duration.ofSeconds(5));
        String logLevel = p.get("logLevel", s -> {
            String l = s.toLowerCase(Locale.ROOT);
            if (!Set.of("error", "warn", "info", "debug", "trace").contains(l)) {
                throw new IllegalArgumentException("'" + s + "' is not one of error, warn, info, debug, trace");
            }
            return l;
        }, "info");
        Telemetry telemetry = new Telemetry(
                p.get("adminPort", s -> {
                    int port = Integer.parseInt(s);
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException(port + " is not a port (0 to 65535)");
                    }
                    return port;
                }, -1),
                p.bool("accessLog", false),
                p.get("otlpEndpoint", AgentSettings::httpUrl, null),
                p.get("traceSampling", s -> {
                    double ratio = Double.parseDouble(s);
                    if (!(ratio >= 0 && ratio <= 1)) {
                        throw new IllegalArgumentException(s + " is not between 0 and 1");
                    }
                    return ratio;
                }, 1.0));
        if (controlPlane != null && service == null) {
            warnings.add("setting 'controlPlane' needs 'service' (this app's service name); not using the control plane");
            controlPlane = null;
        }
        return new AgentSettings(enabled, service, controlPlane, token, controlPlaneCa, config, cacheDir, suffixes,
                disabled, await,
                logLevel, telemetry, warnings);
    }

    private static URI httpUrl(String s) {
        URI u = URI.create(s);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("'" + s + "' is not an http(s) URL");
        }
        return u;
    }

    static String envName(String key) {
        return "WEFT_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static Map<String, String> parseArgs(String agentArgs, List<String> warnings) {
        Map<String, String> args = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return args;
        }
        for (String part : agentArgs.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                warnings.add("agent argument '" + part + "' is not name=value; ignored");
                continue;
            }
            String key = part.substring(0, eq).trim();
            if (!KNOWN.containsKey(key)) {
                warnings.add("unknown setting '" + key + "' in agent arguments (known: " + String.join(", ", KNOWN.keySet()) + "); ignored");
                continue;
            }
            args.put(key, part.substring(eq + 1));
        }
        return args;
    }

    private record Parser(Map<String, String> values, List<String> warnings) {
        <T> T get(String key, Function<String, T> parse, T fallback) {
            String v = values.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                return parse.apply(v);
            } catch (RuntimeException e) {
                warnings.add("setting '" + key + "': " + e.getMessage() + "; ignored");
                return fallback;
            }
        }

        boolean bool(String key, boolean fallback) {
            return get(key, s -> {
                if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("'" + s + "' is not true or false");
                }
                return Boolean.parseBoolean(s);
            }, fallback);
        }
    }
}
