package io.weft.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code weft.*} settings. The names are the agent's settings in Spring's spelling ({@code controlPlane} is
 * {@code weft.control-plane} here, {@code WEFT_CONTROL_PLANE} in the environment for both), so an app moves between
 * the agent and the starter without renaming anything.
 *
 * <p>It validates itself (Boot calls a properties class that is a {@link Validator}), so a wrong value stops start-up
 * and no Bean Validation provider is needed. Each message starts with the property's name as it is written in
 * application.properties, since Boot's own report names the Java field.
 */
@ConfigurationProperties("weft")
public class WeftProperties implements Validator {

    /** Longest long poll the control plane accepts. */
    private static final Duration MAX_POLL_WAIT = Duration.ofSeconds(60);

    /** Whether the starter puts the app in the mesh at all. */
    private boolean enabled = true;

    /** This application's service name: its identity towards the control plane. Defaults to spring.application.name. */
    private String service;

    /** Control plane to take config from, such as http://127.0.0.1:15010; long-polled for changes. */
    private URI controlPlane;

    /** Bearer token of this application's service at the control plane. */
    private String token;

    /**
     * PEM file of the CA an https control plane's certificate chains to (root.pem in its --ca-dir), so the token and
     * certificate requests never travel in clear.
     */
    private Path controlPlaneCa;

    /**
     * Mesh config to use without a control plane: a YAML/JSON file or a directory of them, or a class-path resource
     * written as classpath:mesh.yaml.
     */
    private String config;

    /** Where the last good snapshot from the control plane is kept, for starts while it is unreachable. */
    private Path cacheDir;

    /** How long the control plane may hold one long poll (at most 60s). */
    private Duration pollWait = Duration.ofSeconds(30);

    /**
     * How long start-up waits for the first config from the control plane (or its disk cache); the app starts
     * anyway after that, and the health indicator says so.
     */
    private Duration awaitConfig = Duration.ofSeconds(5);

    /** Other names of every service, such as .svc.cluster.local (http://orders.svc.cluster.local/ reaches orders). */
    private List<String> hostSuffixes = new ArrayList<>();

    /** Whether to register this application's web server with the control plane as an instance of its service. */
    private boolean register;

    /** The address to register; defaults to this host's address. */
    private String registerAddress;

    /** Labels of the registered instance, such as version=v2 (subsets select endpoints by them). */
    private Map<String, String> labels = new LinkedHashMap<>();

    /** Whether RestClient, RestTemplate and WebClient builders send calls to mesh services through the mesh. */
    private final Clients clients = new Clients();

    /** Mesh meters (weft.client.requests and others) in the app's Micrometer registry. */
    private final Metrics metrics = new Metrics();

    /** A client span per attempt with the app's OpenTelemetry. */
    private final Tracing tracing = new Tracing();

    /** The app's own web server: mTLS and authorization of the requests it takes. */
    private final Inbound inbound = new Inbound();

    /** Whether to write one JSON line per meshed call to the logger weft.access. */
    private boolean accessLog;

    /**
     * Port of the runtime's own admin server on 127.0.0.1 (/ready, /stats/prometheus, /config_dump, /clusters,
     * /explain); off when unset, 0 picks a free port. The Actuator endpoint 'weft' shows the same.
     */
    private Integer adminPort;

    @Override
    public boolean supports(Class<?> type) {
        return WeftProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        WeftProperties p = (WeftProperties) target;
        if (p.controlPlane != null) {
            String scheme = p.controlPlane.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                errors.rejectValue("controlPlane", "scheme", "weft.control-plane must be an http:// or https:// URL");
            } else if (p.controlPlane.getHost() == null) {
                errors.rejectValue("controlPlane", "host", "weft.control-plane has no host");
            }
        }
        if (p.controlPlane != null && p.config != null) {
            errors.rejectValue("config", "exclusive",
                    "weft.config cannot be used with weft.control-plane: config comes from one source");
        }
        if (p.config != null && !p.config.startsWith(WeftRuntimeFactory.CLASSPATH_PREFIX) && !Files.exists(Path.of(p.config))) {
            errors.rejectValue("config", "missing", "weft.config: no such file or directory");
        }
        if (p.pollWait != null && (p.pollWait.isNegative() || p.pollWait.compareTo(MAX_POLL_WAIT) > 0)) {
            errors.rejectValue("pollWait", "range", "weft.poll-wait must be between 0s and 60s");
        }
        if (p.awaitConfig != null && p.awaitConfig.isNegative()) {
            errors.rejectValue("awaitConfig", "range", "weft.await-config must not be negative");
        }
        for (int i = 0; i < p.hostSuffixes.size(); i++) {
            if (!p.hostSuffixes.get(i).startsWith(".")) {
                errors.rejectValue("hostSuffixes[" + i + "]", "format",
                        "weft.host-suffixes[" + i + "] must start with '.', as in .svc.cluster.local");
            }
        }
        if (p.register && p.controlPlane == null) {
            errors.rejectValue("register", "needs", "weft.register needs weft.control-plane to register with");
        }
        if (p.adminPort != null && (p.adminPort < 0 || p.adminPort > 65535)) {
            errors.rejectValue("adminPort", "range", "weft.admin-port must be between 0 and 65535");
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }

    public URI getControlPlane() {
        return controlPlane;
    }

    public void setControlPlane(URI controlPlane) {
        this.controlPlane = controlPlane;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public Path getControlPlaneCa() {
        return controlPlaneCa;
    }

    public void setControlPlaneCa(Path controlPlaneCa) {
        this.controlPlaneCa = controlPlaneCa;
    }

    public String getConfig() {
        return config;
    }

    public void setConfig(String config) {
        this.config = config;
    }

    public Path getCacheDir() {
        return cacheDir;
    }

    public void setCacheDir(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public Duration getPollWait() {
        return pollWait;
    }

    public void setPollWait(Duration pollWait) {
        this.pollWait = pollWait;
    }

    public Duration getAwaitConfig() {
        return awaitConfig;
    }

    public void setAwaitConfig(Duration awaitConfig) {
        this.awaitConfig = awaitConfig;
    }

    public List<String> getHostSuffixes() {
        return hostSuffixes;
    }

    public void setHostSuffixes(List<String> hostSuffixes) {
        this.hostSuffixes = hostSuffixes;
    }

    public boolean isRegister() {
        return register;
    }

    public void setRegister(boolean register) {
        this.register = register;
    }

    public String getRegisterAddress() {
        return registerAddress;
    }

    public void setRegisterAddress(String registerAddress) {
        this.registerAddress = registerAddress;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Clients getClients() {
        return clients;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Tracing getTracing() {
        return tracing;
    }

    public Inbound getInbound() {
        return inbound;
    }

    public boolean isAccessLog() {
        return accessLog;
    }

    public void setAccessLog(boolean accessLog) {
        this.accessLog = accessLog;
    }

    public Integer getAdminPort() {
        return adminPort;
    }

    public void setAdminPort(Integer adminPort) {
        this.adminPort = adminPort;
    }

    public static class Clients {

        /** Whether RestClient, RestTemplate and WebClient builders send calls to mesh services through the mesh. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    public static class Metrics {

        /** Whether the mesh's meters go to the app's MeterRegistry. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    public static class Tracing {

        /** Whether each attempt gets a client span from the app's OpenTelemetry bean (when there is one). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    public static class Inbound {

        /**
         * Whether the app's web server (Tomcat) takes mTLS only: it presents this workload's mesh certificate
         * (renewed in place) and requires a client certificate of the mesh's trust domain. Decided at start-up, as
         * a port's TLS cannot change while it listens; set it for a service whose policy.tls.mode is STRICT or
         * PERMISSIVE (callers in the mesh then use mTLS). Needs a mesh identity: weft.control-plane with a CA, or a
         * WeftRuntimeCustomizer calling builder.identity(...).
         */
        private boolean mtls;

        /**
         * Whether requests to the app's web server are authorized by its service's rules (TLS mode and
         * authorization) with a servlet filter or WebFlux WebFilter; denied requests get 403. Active when the app
         * has a service name (weft.service or spring.application.name).
         */
        private boolean authorization = true;

        public boolean isMtls() {
            return mtls;
        }

        public void setMtls(boolean mtls) {
            this.mtls = mtls;
        }

        public boolean isAuthorization() {
            return authorization;
        }

        public void setAuthorization(boolean authorization) {
            this.authorization = authorization;
        }
    }
}
