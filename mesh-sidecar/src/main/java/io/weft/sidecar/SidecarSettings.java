package io.weft.sidecar;

import io.weft.runtime.security.IdentitySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a sidecar is started with: where config comes from, which ports it listens on, and the limits that
 * keep one bad client from hurting the others. Built by the command line ({@code cli.CommandLine}) or by tests.
 */
public final class SidecarSettings {

    public static final int DEFAULT_OUTBOUND_PORT = 15001;
    public static final int DEFAULT_INBOUND_PORT = 15006;

    private final String service;
    private final String controlPlane;
    private final String token;
    private final Path configFile;
    private final Path cacheDir;
    private final Path controlPlaneCa;
    private final String outboundBind;
    private final int outboundPort;
    private final String inboundBind;
    private final int inboundPort;
    private final Integer appPort;
    private final String appHost;
    private final String advertiseAddress;
    private final Map<String, String> labels;
    private final Duration drainTimeout;
    private final Duration readyTimeout;
    private final int workerThreads;
    private final ProxyLimits limits;
    private final SidecarTelemetry telemetry;
    private final IdentitySource identity;

    private SidecarSettings(Builder b) {
        this.service = b.service;
        this.controlPlane = b.controlPlane;
        this.token = b.token;
        this.configFile = b.configFile;
        this.cacheDir = b.cacheDir;
        this.controlPlaneCa = b.controlPlaneCa;
        this.outboundBind = b.outboundBind;
        this.outboundPort = b.outboundPort;
        this.inboundBind = b.inboundBind;
        this.inboundPort = b.inboundPort;
        this.appPort = b.appPort;
        this.appHost = b.appHost;
        this.advertiseAddress = b.advertiseAddress;
        this.labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.labels)); // in the order given
        this.drainTimeout = b.drainTimeout;
        this.readyTimeout = b.readyTimeout;
        this.workerThreads = b.workerThreads;
        this.limits = b.limits;
        this.telemetry = b.telemetry;
        this.identity = b.identity;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String service() {
        return service;
    }

    /** The control plane's URL, or null for static config only. */
    public String controlPlane() {
        return controlPlane;
    }

    public String token() {
        return token;
    }

    /** A YAML/JSON file or directory of static config, or null. */
    public Path configFile() {
        return configFile;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** The CA an https control plane's certificate chains to, or null. */
    public Path controlPlaneCa() {
        return controlPlaneCa;
    }

    public String outboundBind() {
        return outboundBind;
    }

    public int outboundPort() {
        return outboundPort;
    }

    public String inboundBind() {
        return inboundBind;
    }

    public int inboundPort() {
        return inboundPort;
    }

    /** The local app's port; null when this sidecar only carries outbound calls (a job, a client). */
    public Integer appPort() {
        return appPort;
    }

    public String appHost() {
        return appHost;
    }

    /** The address other mesh members reach the inbound listener at; null to derive it from the bind address. */
    public String advertiseAddress() {
        return advertiseAddress;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    public Duration readyTimeout() {
        return readyTimeout;
    }

    /** Event-loop threads shared by both listeners and the upstream connections; 0 for one per core. */
    public int workerThreads() {
        return workerThreads;
    }

    public SidecarTelemetry telemetry() {
        return telemetry;
    }

    public ProxyLimits limits() {
        return limits;
    }

    /** A fixed mesh identity instead of the control plane's CA; null (the usual) for the control plane's. */
    public IdentitySource identity() {
        return identity;
    }

    public static final class Builder {
        private String service;
        private String controlPlane;
        private String token;
        private Path configFile;
        private Path cacheDir;
        private Path controlPlaneCa;
        private String outboundBind = "127.0.0.1";
        private int outboundPort = DEFAULT_OUTBOUND_PORT;
        private String inboundBind = "0.0.0.0";
        private int inboundPort = DEFAULT_INBOUND_PORT;
        private Integer appPort;
        private String appHost = "127.0.0.1";
        private String advertiseAddress;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private Duration drainTimeout = Duration.ofSeconds(15);
        private Duration readyTimeout = Duration.ofSeconds(30);
        private int workerThreads;
        private ProxyLimits limits = ProxyLimits.defaults();
        private SidecarTelemetry telemetry = SidecarTelemetry.NONE;
        private IdentitySource identity;

        private Builder() {
        }

        /**
         * This workload's certificate from {@code source} (files another agent keeps current, or tests) instead of
         * the control plane's CA; peers are expected in the certificate's own trust domain and namespace.
         */
        public Builder identity(IdentitySource source) {
            this.identity = source;
            return this;
        }

        public Builder telemetry(SidecarTelemetry telemetry) {
            this.telemetry = telemetry;
            return this;
        }

        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public Builder controlPlane(String url, String token) {
            this.controlPlane = url;
            this.token = token;
            return this;
        }

        public Builder configFile(Path configFile) {
            this.configFile = configFile;
            return this;
        }

        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        public Builder controlPlaneCa(Path pemFile) {
            this.controlPlaneCa = pemFile;
            return this;
        }

        public Builder outbound(String bind, int port) {
            this.outboundBind = Objects.requireNonNull(bind);
            this.outboundPort = port;
            return this;
        }

        public Builder inbound(String bind, int port) {
            this.inboundBind = Objects.requireNonNull(bind);
            this.inboundPort = port;
            return this;
        }

        public Builder app(String host, int port) {
            this.appHost = Objects.requireNonNull(host);
            this.appPort = port;
            return this;
        }

        public Builder advertiseAddress(String address) {
            this.advertiseAddress = address;
            return this;
        }

        public Builder label(String name, String value) {
            labels.put(name, value);
            return this;
        }

        public Builder drainTimeout(Duration d) {
            this.drainTimeout = d;
            return this;
        }

        public Builder readyTimeout(Duration d) {
            this.readyTimeout = d;
            return this;
        }

        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        public Builder limits(ProxyLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        public SidecarSettings build() {
            if (controlPlane == null && configFile == null) {
                throw new IllegalArgumentException("--control-plane or --config-file is needed: the sidecar must learn the mesh from somewhere");
            }
            if (controlPlane != null && (service == null || service.isBlank())) {
                throw new IllegalArgumentException("--service is needed with --control-plane: it names this app's service");
            }
            return new SidecarSettings(this);
        }
    }
}
