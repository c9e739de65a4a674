package io.weft.runtime.control;

import io.weft.runtime.config.ConfigMapper;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Registers this application as an instance of its service, heartbeats at a third of the TTL so two lost
 * heartbeats in a row are survived, registers again when the control plane has forgotten it (404, or after a
 * control-plane restart), and deregisters on close.
 */
public final class InstanceRegistrar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceRegistrar.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final ControlPlaneSettings settings;
    private final RegistrationRequest registration;
    private final ScheduledExecutorService scheduler;
    private final OkHttpClient http;
    private final Backoff backoff = new Backoff();
    private volatile String id;
    private volatile ScheduledFuture<?> next;
    private volatile boolean closed;
    private String lastLoggedError;

    public InstanceRegistrar(ControlPlaneSettings settings, RegistrationRequest registration,
                             ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.registration = registration;
        this.scheduler = scheduler;
        this.http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
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
        send(request("/v1/instances").post(RequestBody.create(body, JSON)), response -> {
            if (response.code() != 201) {
                return fail("registration refused: " + response.code() + " " + bodyOf(response));
            }
            RegistrationResponse r = ConfigMapper.json().readValue(bodyOf(response), RegistrationResponse.class);
            id = r.id();
            log.info("registered {} at {}:{} as instance {} (ttl {} s)", registration.service(),
                    registration.address(), registration.port(), r.id(), r.ttlSeconds());
            lastLoggedError = null;
            backoff.reset();
            schedule(this::heartbeat, Math.max(200, r.ttlSeconds() * 1000 / 3));
            return true;
        });
    }

    private void heartbeat() {
        String current = id;
        send(request("/v1/instances/" + current + "/heartbeat").put(RequestBody.create(new byte[0], null)), response -> {
            if (response.code() == 404) {
                log.info("control plane no longer knows instance {}; registering again", current);
                id = null;
                register();
                return true;
            }
            if (response.code() != 204 && response.code() != 200) {
                return fail("heartbeat refused: " + response.code() + " " + bodyOf(response));
            }
            backoff.reset();
            lastLoggedError = null;
            return true;
        });
    }

    private interface Handler {
        boolean handle(Response response) throws IOException;
    }

    private void send(Request.Builder request, Handler handler) {
        if (closed) {
            return;
        }
        http.newCall(request.build()).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    handler.handle(response);
                } catch (IOException | RuntimeException e) {
                    fail("control plane answer unreadable: " + e);
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                fail("control plane unreachable: " + e.getMessage());
            }
        });
    }

    /** Retries with backoff: a heartbeat while registered, else the registration. */
    private boolean fail(String error) {
        if (closed) {
            return false;
        }
        if (!error.equals(lastLoggedError)) {
            log.warn("{} ({}); retrying with backoff", error, registration.service());
            lastLoggedError = error;
        }
        schedule(id == null ? this::register : this::heartbeat, backoff.nextDelayMillis());
        return false;
    }

    private void schedule(Runnable task, long delayMillis) {
        if (!closed) {
            next = scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private Request.Builder request(String path) {
        Request.Builder b = new Request.Builder().url(settings.resolve(path).toString());
        if (settings.token() != null) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        return b;
    }

    private static String bodyOf(Response response) throws IOException {
        return response.body() == null ? "" : response.body().string();
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
            try (Response r = http.newBuilder().callTimeout(Duration.ofSeconds(2)).build()
                    .newCall(request("/v1/instances/" + current).delete().build()).execute()) {
                log.info("deregistered instance {} ({})", current, r.code());
            } catch (IOException e) {
                log.info("could not deregister instance {} ({}); it expires with its TTL", current, e.getMessage());
            }
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
