package io.weft.runtime.control;

import io.weft.runtime.config.ConfigMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Registers this application as an instance of its service, heartbeats at a third of the TTL so two lost
 * heartbeats in a row are survived, registers again when the control plane has forgotten it (404, or after a
 * control-plane restart), and deregisters on close.
 *
 * <p>With several replicas, a call that fails at one (unreachable, or refused, as with 503 while its etcd is down)
 * is retried at the next at once; replicas on one etcd all know the instance, so heartbeats carry on there under
 * the same id.
 */
public final class InstanceRegistrar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceRegistrar.class);

    private final ControlPlaneSettings settings;
    private final RegistrationRequest registration;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final Backoff backoff = new Backoff();
    private volatile String id;
    private volatile long heartbeatMillis = 5_000;
    private volatile ScheduledFuture<?> next;
    private volatile boolean closed;
    /** Calls failed in a row; below the number of replicas, the next replica is tried without waiting. */
    private int failedInARow;
    private String lastLoggedError;

    public InstanceRegistrar(ControlPlaneSettings settings, RegistrationRequest registration,
                             ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.registration = registration;
        this.scheduler = scheduler;
        // Trusts the control plane's CA when the API is served over TLS with it (settings.trustAnchor()).
        this.http = settings.newHttpClient();
    }

    /** The id the control plane gave this instance, or null while unregistered. */
    public String id() {
        return id;
    }

    public void start() {
        register();
    }

    private void register() {
        byte[] body;
        try {
            body = ConfigMapper.json().writeValueAsBytes(registration);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        send(base -> request(base, "/v1/instances").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), (replica, response) -> {
            if (response.statusCode() != 201) {
                return fail(replica, "registration refused: " + response.statusCode() + " " + response.body());
            }
            RegistrationResponse r = ConfigMapper.json().readValue(response.body(), RegistrationResponse.class);
            id = r.id();
            log.info("registered {} at {}:{} as instance {} (ttl {} s)", registration.service(),
                    registration.address(), registration.port(), r.id(), r.ttlSeconds());
            succeeded();
            heartbeatMillis = Math.max(200, r.ttlSeconds() * 1000 / 3);
            schedule(this::heartbeat, heartbeatMillis);
            return true;
        });
    }

    private void heartbeat() {
        String current = id;
        send(base -> request(base, "/v1/instances/" + current + "/heartbeat")
                .PUT(HttpRequest.BodyPublishers.noBody()), (replica, response) -> {
            if (response.statusCode() == 404) {
                log.info("control plane no longer knows instance {}; registering again", current);
                id = null;
                register();
                return true;
            }
            if (response.statusCode() != 204 && response.statusCode() != 200) {
                return fail(replica, "heartbeat refused: " + response.statusCode() + " " + response.body());
            }
            succeeded();
            schedule(this::heartbeat, heartbeatMillis);
            return true;
        });
    }

    private interface RequestFor {
        HttpRequest.Builder at(URI replica);
    }

    private interface Handler {
        boolean handle(URI replica, HttpResponse<String> response) throws IOException;
    }

    private void send(RequestFor request, Handler handler) {
        if (closed) {
            return;
        }
        URI replica = settings.replicas().current();
        http.sendAsync(request.at(replica).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    if (error != null) {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        fail(replica, "control plane " + replica + " unreachable: " + cause);
                        return;
                    }
                    try {
                        handler.handle(replica, response);
                    } catch (IOException | RuntimeException e) {
                        fail(replica, "control plane answer unreadable: " + e);
                    }
                });
    }

    private void succeeded() {
        failedInARow = 0;
        lastLoggedError = null;
        backoff.reset();
    }

    /**
     * Retries the next replica at once while some have not been tried, else with backoff: a heartbeat while
     * registered, else the registration.
     */
    private boolean fail(URI replica, String error) {
        if (closed) {
            return false;
        }
        URI next = settings.replicas().failover(replica);
        Runnable retry = id == null ? this::register : this::heartbeat;
        if (++failedInARow < settings.replicas().size()) {
            log.warn("{} ({}); trying {}", error, registration.service(), next);
            schedule(retry, 0);
            return false;
        }
        failedInARow = 0;
        if (!error.equals(lastLoggedError)) {
            log.warn("{} ({}); retrying with backoff", error, registration.service());
            lastLoggedError = error;
        }
        schedule(retry, backoff.nextDelayMillis());
        return false;
    }

    private void schedule(Runnable task, long delayMillis) {
        if (!closed) {
            next = scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private HttpRequest.Builder request(URI replica, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(ControlPlaneReplicas.resolve(replica, path));
        if (settings.token() != null) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        return b;
    }

    /** Deregisters, waiting briefly so a clean shutdown takes the instance out at once. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
        String current = id;
        if (current != null) {
            try {
                HttpResponse<Void> r = http.send(request(settings.replicas().current(), "/v1/instances/" + current)
                        .DELETE()
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                log.info("deregistered instance {} ({})", current, r.statusCode());
            } catch (IOException e) {
                log.info("could not deregister instance {} ({}); it expires with its TTL", current, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
