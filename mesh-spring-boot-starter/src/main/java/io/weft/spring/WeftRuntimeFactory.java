package io.weft.spring;

import io.weft.runtime.WeftRuntime;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.telemetry.AccessLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Builds the runtime the {@code weft.*} properties describe, and waits for its first config. */
final class WeftRuntimeFactory {

    static final String CLASSPATH_PREFIX = "classpath:";

    private static final Logger log = LoggerFactory.getLogger(WeftRuntimeFactory.class);

    private final WeftProperties properties;
    private final String service;

    /** {@code service} is the app's service name: weft.service, else spring.application.name; may be null. */
    WeftRuntimeFactory(WeftProperties properties, String service) {
        this.properties = properties;
        this.service = service;
    }

    WeftRuntime create(List<WeftRuntimeCustomizer> customizers) {
        WeftRuntime.Builder builder = WeftRuntime.builder();
        if (service != null && !service.isBlank()) {
            // The service whose inbound rules (TLS mode, authorization) apply to this app's own server.
            builder.service(service);
        }
        if (properties.getControlPlane() != null) {
            if (service == null || service.isBlank()) {
                throw new InvalidConfigurationPropertyValueException("weft.service", service,
                        "weft.control-plane needs this application's service name: set weft.service (or spring.application.name)");
            }
            builder.controlPlane(properties.getControlPlane().toString(), properties.getToken());
            if (properties.getControlPlaneCa() != null) {
                builder.controlPlaneCa(properties.getControlPlaneCa());
            }
            if (properties.getCacheDir() != null) {
                builder.cacheDir(properties.getCacheDir());
            }
            if (properties.getPollWait() != null) {
                builder.pollWait(properties.getPollWait());
            }
        }
        String config = properties.getConfig();
        if (config != null && config.startsWith(CLASSPATH_PREFIX)) {
            builder.configResource(config.substring(CLASSPATH_PREFIX.length()).replaceFirst("^/", ""));
        } else if (config != null) {
            builder.configPath(Path.of(config));
        }
        properties.getHostSuffixes().forEach(builder::hostSuffix);
        if (properties.isAccessLog()) {
            builder.listener(new AccessLog());
        }
        if (properties.getAdminPort() != null) {
            builder.adminPort(properties.getAdminPort());
        }
        customizers.forEach(c -> c.customize(builder));
        WeftRuntime runtime;
        try {
            runtime = builder.build();
        } catch (ConfigException e) {
            // An invalid mesh config lists file, line and field; say which property pointed at it.
            throw new InvalidConfigurationPropertyValueException("weft.config", config, e.getMessage());
        }
        awaitFirstConfig(runtime);
        return runtime;
    }

    /** A control plane's first snapshot (or the disk cache's) before the app serves; the app starts either way. */
    private void awaitFirstConfig(WeftRuntime runtime) {
        Duration wait = properties.getAwaitConfig();
        if (properties.getControlPlane() == null || wait == null || wait.isZero()) {
            return;
        }
        try {
            if (!runtime.awaitConfig(wait)) {
                log.warn("No mesh config from the control plane {} (nor a cached one) within {}; starting without it. "
                        + "Calls to mesh services wait for it; the 'weft' health indicator shows the state.",
                        properties.getControlPlane(), wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
