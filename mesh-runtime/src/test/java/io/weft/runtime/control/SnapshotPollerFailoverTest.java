package io.weft.runtime.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weft.api.ServiceName;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.lb.LoadBalancers;
import io.weft.runtime.support.Await;
import io.weft.runtime.support.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poller against stand-in replicas that serve what replicas on one etcd serve: the same versions. It moves on
 * from a dead one at once, keeps its version, and applies no content twice.
 */
class SnapshotPollerFailoverTest {

    private static final Duration MAX = Duration.ofSeconds(5);

    @TempDir
    Path cache;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Replica> replicas = new ArrayList<>();
    private final List<Long> applied = new CopyOnWriteArrayList<>();
    private SnapshotPoller poller;

    @AfterEach
    void stop() {
        if (poller != null) {
            poller.close();
        }
        replicas.forEach(Replica::stop);
        scheduler.shutdownNow();
    }

    @Test
    void aDeadReplicaIsSkippedAtOnceAndTheVersionCarriesOver() throws Exception {
        Replica a = replica(snapshot(100, "10.0.0.1:80"));
        Replica b = replica(snapshot(100, "10.0.0.1:80"));
        poller = poller(a.url(), b.url());
        poller.start();
        Await.until(MAX, "version 100 from a is applied", () -> applied.contains(100L));

        a.stop();
        Await.until(MAX, "b is polled with version 100", () -> b.polledWith.contains(100L));

        assertThat(poller.status().version()).isEqualTo(100);
        assertThat(applied).as("one apply for one content").containsExactly(100L);
        b.serve(snapshot(101, "10.0.0.2:80"));
        // The status moves first, then the engine: wait for the engine.
        Await.until(MAX, "version 101 from b is applied", () -> applied.contains(101L));
        assertThat(applied).containsExactly(100L, 101L);
        assertThat(poller.status().lastError()).isNull();
    }

    @Test
    void anUnreachableFirstReplicaCostsNoBackoff() throws Exception {
        Replica b = replica(snapshot(7, "10.0.0.1:80"));
        long started = System.nanoTime();
        poller = poller(URI.create("http://127.0.0.1:" + Ports.closedPort()), b.url());
        poller.start();

        Await.until(MAX, "config from b", () -> poller.status().version() == 7);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theSameContentUnderANewerVersionIsTakenWithoutApplyingItAgain() throws Exception {
        Replica a = replica(snapshot(100, "10.0.0.1:80"));
        poller = poller(a.url());
        poller.start();
        Await.until(MAX, "version 100 is applied", () -> applied.contains(100L));

        // A replica that started later read the same state at a later etcd revision.
        a.serve(snapshot(104, "10.0.0.1:80"));
        Await.until(MAX, "version 104", () -> poller.status().version() == 104);
        Await.until(MAX, "polled with 104", () -> a.polledWith.contains(104L));

        assertThat(applied).containsExactly(100L);
        assertThat(poller.status().source()).isEqualTo("control-plane");
    }

    private SnapshotPoller poller(URI... urls) {
        ControlPlaneSettings settings = new ControlPlaneSettings(new ControlPlaneReplicas(List.of(urls)),
                ServiceName.of("orders"), null, cache, Duration.ofSeconds(1), null);
        MeshEngine engine = new MeshEngine(LoadBalancers.discover(getClass().getClassLoader()), scheduler, List.of(),
                List.of());
        SnapshotPoller created = new SnapshotPoller(settings, engine, new ConfigLoader(), scheduler);
        engine.onSnapshot(s -> applied.add(created.status().version()));
        return created;
    }

    private static String snapshot(long version, String endpoint) throws IOException {
        List<ServiceConfig> services = List.of(new ServiceConfig("orders",
                List.of(new EndpointConfig(endpoint, Map.of(), 1)), null, null, null));
        return ConfigMapper.json().writeValueAsString(new SnapshotMessage(version, "hash-of-" + endpoint,
                "2026-01-01T00:00:00Z", services));
    }

    private Replica replica(String snapshot) throws IOException {
        Replica replica = new Replica(snapshot);
        replicas.add(replica);
        return replica;
    }

    /** Serves one snapshot as a control plane on etcd would: at once to an older version, else 304 after a moment. */
    private static final class Replica {
        final HttpServer server;
        final AtomicReference<String> snapshot;
        final List<Long> polledWith = new CopyOnWriteArrayList<>();
        final AtomicInteger polls = new AtomicInteger();

        Replica(String snapshot) throws IOException {
            this.snapshot = new AtomicReference<>(snapshot);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.createContext("/v1/snapshot", this::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void serve(String next) {
            snapshot.set(next);
        }

        void stop() {
            server.stop(0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            polls.incrementAndGet();
            String query = exchange.getRequestURI().getQuery();
            long known = Long.parseLong(query.replaceAll(".*version=(\\d+).*", "$1"));
            polledWith.add(known);
            String body = snapshot.get();
            long current = ConfigMapper.json().readTree(body).get("version").asLong();
            if (current > known) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            } else {
                sleep(100);
                exchange.sendResponseHeaders(304, -1);
            }
            exchange.close();
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
