package io.weft.runtime.health;

import io.weft.runtime.config.HealthCheckConfig;
import io.weft.runtime.engine.EndpointState;
import io.weft.runtime.engine.ServicePlan;
import io.weft.runtime.engine.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import io.weft.runtime.adapter.jdkhttp.MtlsHttpClients;
import io.weft.runtime.security.UpstreamTls;
import java.net.http.HttpClient;
import java.util.function.Function;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Active HTTP health checks for services whose policy asks for them. Checks run asynchronously on the JDK
 * client (never blocking the scheduler) and always reach endpoints directly, by address, not through the mesh.
 */
public final class ActiveHealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final ScheduledExecutorService scheduler;
    private final HttpClient client;
    private final Map<String, Task> tasks = new HashMap<>();

    private final Function<ServicePlan, UpstreamTls> tlsFor;

    /** @param tlsFor how to reach a service that takes mTLS (its checks go over mTLS too); null when none can be */
    public ActiveHealthChecker(ScheduledExecutorService scheduler, Function<ServicePlan, UpstreamTls> tlsFor) {
        this.scheduler = scheduler;
        this.tlsFor = tlsFor;
        // Health checks are plain http to the endpoints' addresses.
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(io.weft.runtime.security.PlaintextOnly.sslContext()).build();
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
    }

    private final class Task implements Runnable {
        final HealthCheckConfig config;
        final ScheduledFuture<?> future;
        volatile ServicePlan plan;

        Task(ServicePlan plan) {
            this.plan = plan;
            this.config = plan.config().policy().healthCheck();
            long interval = config.interval().toNanos();
            this.future = scheduler.scheduleWithFixedDelay(this, 0, interval, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            ServicePlan p = plan;
            UpstreamTls tls = p.mtls() ? tlsFor.apply(p) : null;
            if (p.mtls() && tls == null) {
                // This workload cannot prove itself yet: that says nothing of the endpoints' health.
                log.debug("{}: health checks wait for this workload's certificate", p.name());
                return;
            }
            HttpClient c = tls == null ? client : MtlsHttpClients.of(client, tls);
            String scheme = tls == null ? "http://" : "https://";
            for (EndpointState endpoint : p.endpoints()) {
                URI uri = URI.create(scheme + endpoint.endpoint().address() + config.path());
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                        .header("User-Agent", "weft-health-check").build();
                c.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                    if (error != null) {
                        result(endpoint, false, String.valueOf(error.getCause() != null ? error.getCause() : error));
                    } else {
                        int code = response.statusCode();
                        result(endpoint, code >= 200 && code < 300, "HTTP " + code);
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
