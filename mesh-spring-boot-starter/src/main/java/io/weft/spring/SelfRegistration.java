package io.weft.spring;

import io.weft.runtime.WeftRuntime;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Registers the app's web server with the control plane as an instance of its service once the server listens (its
 * port is known only then, and may be random), heartbeats, and deregisters when the context closes, before the
 * server stops taking requests.
 */
public final class SelfRegistration implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

    private final WeftRuntime runtime;
    private final WeftProperties properties;
    private boolean registered;

    SelfRegistration(WeftRuntime runtime, WeftProperties properties) {
        this.runtime = runtime;
        this.properties = properties;
    }

    @Override
    public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
        // The management server (management.server.port) is not where the service is reached.
        if (registered || event.getApplicationContext().getServerNamespace() != null) {
            return;
        }
        runtime.register(address(), event.getWebServer().getPort(), properties.getLabels());
        registered = true;
    }

    /** The id the control plane gave this instance, or null while unregistered. */
    public String instanceId() {
        return runtime.instanceId();
    }

    private String address() {
        if (properties.getRegisterAddress() != null) {
            return properties.getRegisterAddress();
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot tell this host's address to register; set weft.register-address", e);
        }
    }

    @Override
    public synchronized void destroy() {
        if (registered) {
            runtime.deregister();
            registered = false;
        }
    }
}
