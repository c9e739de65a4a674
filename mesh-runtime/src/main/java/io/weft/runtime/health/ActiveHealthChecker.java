package io.weft.runtime.health;

import io.weft.runtime.config.HealthCheckConfig;
import io.weft.runtime.engine.EndpointState;
import io.weft.runtime.engine.ServicePlan;
import io.weft.runtime.engine.Snapshot;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Active HTTP health checks for services whose policy asks for them. Checks run asynchronously on OkHttp's
 * dispatcher (never blocking the scheduler) and always reach endpoints directly, not through the mesh.
 */
public final class ActiveHealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final ScheduledExecutorService scheduler;
    private final OkHttpClient client;
    private final Map<String, Task> tasks = new HashMap<>();

    public ActiveHealthChecker(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        this.client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    }

    /** Starts, changes or stops checks to match a new snapshot. */
    public synchronized void reconcile(Snapshot snapshot) {
        Map<String, ServicePlan> wanted = new HashMap<>();
        for (ServicePlan plan : snapshot.services()) {
            if (plan.config().policy().healthCheck() != null) {
                wanted.put(plan.name(), plan);
            }
        }
        tasks.entrySet().removeIf(e -> {
            ServicePlan plan = wanted.get(e.getKey());
            if (plan != null && plan.config().policy().healthCheck().equals(e.getValue().config)) {
                e.getValue().plan = plan;
                return false;
            }
            e.getValue().future.cancel(false);
            return true;
        });
        wanted.forEach((name, plan) -> tasks.computeIfAbsent(name, n -> new Task(plan)));
    }

    @Override
    public synchronized void close() {
        tasks.values().forEach(t -> t.future.cancel(false));
        tasks.clear();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private final class Task implements Runnable {
        final HealthCheckConfig config;
        final OkHttpClient checker;
        final ScheduledFuture<?> future;
        volatile ServicePlan plan;

        Task(ServicePlan plan) {
            this.plan = plan;
            this.config = plan.config().policy().healthCheck();
            Duration timeout = config.timeout();
            this.checker = client.newBuilder().callTimeout(timeout).connectTimeout(timeout).build();
            long interval = config.interval().toNanos();
            this.future = scheduler.scheduleWithFixedDelay(this, 0, interval, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            for (EndpointState endpoint : plan.endpoints()) {
                HttpUrl url = new HttpUrl.Builder().scheme("http").host(endpoint.endpoint().host())
                        .port(endpoint.endpoint().port()).encodedPath(config.path()).build();
                checker.newCall(new Request.Builder().url(url).header("user-agent", "weft-health-check").build())
                        .enqueue(new Callback() {
                            @Override
                            public void onResponse(Call call, Response response) {
                                boolean passed;
                                try (response) {
                                    passed = response.isSuccessful();
                                }
                                result(endpoint, passed, "HTTP " + response.code());
                            }

                            @Override
                            public void onFailure(Call call, IOException e) {
                                result(endpoint, false, e.toString());
                            }
                        });
            }
        }

        private void result(EndpointState endpoint, boolean passed, String detail) {
            boolean before = endpoint.isHealthy();
            endpoint.recordHealthCheck(passed, config.unhealthyThreshold(), config.healthyThreshold());
            if (before != endpoint.isHealthy()) {
                log.info("{}: endpoint {} is now {} by health check ({})", plan.name(), endpoint,
                        endpoint.isHealthy() ? "healthy" : "unhealthy", detail);
            }
        }
    }
}
