package io.weft.perf;

import io.weft.api.Endpoint;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.MeshCall;
import io.weft.runtime.engine.MeshEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine's per-call path with no network I/O: host lookup, route match, weighted destination, endpoint pick,
 * and the policy bookkeeping around one attempt (in-flight counters, retry budget, outlier detection), against a
 * transport that answers 200 at once.
 *
 * <ul>
 *   <li>{@code baseline}: the transport called directly with a ready attempt, no engine. Every other figure is
 *       read as a ratio to this one, measured in the same run.</li>
 *   <li>{@code passThrough}: a call to a host that is not a mesh service, as an adapter makes it: one snapshot
 *       lookup that says "not mesh", then the transport.</li>
 *   <li>{@code engine}: {@code engine.newCall(host, request).execute(transport)} for each balancer
 *       and each of the three routes.</li>
 *   <li>{@code engineWithListener}, {@code engineWithBreaker}: least-request, 90/10 route, plus a call listener
 *       (where metrics attach) or per-endpoint circuit breakers.</li>
 *   <li>{@code engineTwoThreads}: least-request, 90/10 route, two threads sharing the engine (the shared
 *       counters under contention).</li>
 * </ul>
 *
 * Defaults below match perf/run-jmh.sh; the script's flags override them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class CallPathBenchmark {

    /** One runtime built the way an application builds it, from YAML through the config loader. */
    static final class Fixture implements AutoCloseable {
        final WeftRuntime runtime;
        final MeshEngine engine;
        final BenchRequest request;

        Fixture(String balancer, String route, boolean breaker, Blackhole listenerSink) {
            String yaml = BenchConfig.yaml(balancer, breaker);
            WeftRuntime.Builder b = WeftRuntime.builder().config(new ConfigLoader().parse("bench.yaml", yaml));
            if (listenerSink != null) {
                b.listener(listenerSink::consume);
            }
            this.runtime = b.build();
            this.engine = runtime.engine();
            this.request = BenchConfig.request(route);
            check(BenchConfig.expectedRoute(route), route);
        }

        /** Fails the setup unless the request takes the intended route and the split is roughly as configured. */
        private void check(String expectedRoute, String route) {
            MeshCall call = engine.newCall(BenchConfig.SERVICE, request);
            if (call == null || !call.route().equals(expectedRoute)) {
                throw new IllegalStateException("request for '" + route + "' took route "
                        + (call == null ? "none" : call.route()) + ", not " + expectedRoute);
            }
            if (engine.newCall(BenchConfig.EXTERNAL_HOST, request) != null) {
                throw new IllegalStateException(BenchConfig.EXTERNAL_HOST + " must not be a mesh host");
            }
            Map<String, Integer> subsets = new HashMap<>();
            for (int i = 0; i < 10_000; i++) {
                subsets.merge(engine.newCall(BenchConfig.SERVICE, request).subset(), 1, Integer::sum);
            }
            if (route.equals("prefix-split")) {
                int v2 = subsets.getOrDefault("v2", 0);
                if (v2 < 700 || v2 > 1300) {
                    throw new IllegalStateException("90/10 split drew " + subsets);
                }
            }
        }

        @Override
        public void close() {
            runtime.close();
        }
    }

    /** The calling side, one per thread: its transport and, for the baseline, a ready attempt. */
    @State(Scope.Thread)
    public static class Client {
        ImmediateTransport transport;
        Attempt directAttempt;

        @Setup(Level.Trial)
        public void setUp(Blackhole sink) {
            transport = new ImmediateTransport(sink);
            directAttempt = new Attempt(Endpoint.of("127.0.0.1", 1), 0, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (transport.localReplies() != 0) {
                throw new IllegalStateException(transport.localReplies() + " calls got a local reply instead of 200");
            }
        }
    }

    /** The engine with each balancer, and a request for each route. */
    @State(Scope.Benchmark)
    public static class Mesh {
        @Param({"least-request", "round-robin", "ring-hash"})
        public String balancer;

        @Param({"header", "prefix-split", "default"})
        public String route;

        Fixture fixture;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = new Fixture(balancer, route, false, null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    /** Least-request, 90/10 route: the common case, for the variants below. */
    @State(Scope.Benchmark)
    public static class MeshCommon {
        Fixture fixture;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = new Fixture("least-request", "prefix-split", false, null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    @State(Scope.Benchmark)
    public static class MeshWithListener {
        Fixture fixture;

        /** The listener hands each record to a blackhole, as a metrics listener reads it, so it is not elided. */
        @Setup(Level.Trial)
        public void setUp(Blackhole sink) {
            fixture = new Fixture("least-request", "prefix-split", false, sink);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    @State(Scope.Benchmark)
    public static class MeshWithBreaker {
        Fixture fixture;

        @Setup(Level.Trial)
        public void setUp() {
            fixture = new Fixture("least-request", "prefix-split", true, null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fixture.close();
        }
    }

    @Benchmark
    public Integer baseline(Client client) throws IOException {
        return client.transport.send(client.directAttempt);
    }

    @Benchmark
    public Integer passThrough(MeshCommon mesh, Client client) throws IOException {
        return call(mesh.fixture, BenchConfig.EXTERNAL_HOST, client);
    }

    @Benchmark
    public Integer engine(Mesh mesh, Client client) throws IOException {
        return call(mesh.fixture, BenchConfig.SERVICE, client);
    }

    @Benchmark
    public Integer engineWithListener(MeshWithListener mesh, Client client) throws IOException {
        return call(mesh.fixture, BenchConfig.SERVICE, client);
    }

    @Benchmark
    public Integer engineWithBreaker(MeshWithBreaker mesh, Client client) throws IOException {
        return call(mesh.fixture, BenchConfig.SERVICE, client);
    }

    @Benchmark
    @Threads(2)
    public Integer engineTwoThreads(MeshCommon mesh, Client client) throws IOException {
        return call(mesh.fixture, BenchConfig.SERVICE, client);
    }

    /** What an adapter does per call (see MeshInterceptor): mesh call if the host is a service, else send as is. */
    private static Integer call(Fixture f, String host, Client client) throws IOException {
        MeshCall call = f.engine.newCall(host, f.request);
        if (call == null) {
            return client.transport.send(client.directAttempt);
        }
        return call.execute(client.transport);
    }
}
