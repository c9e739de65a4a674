package io.weft.agent.it;

import io.weft.agent.it.support.ChildJvm;
import io.weft.agent.it.support.ChildOutput;
import io.weft.agent.it.support.ClientKind;
import io.weft.agent.it.support.GrpcEchoServers;
import io.weft.agent.it.support.ItEnv;
import io.weft.agent.it.support.ItMesh;
import io.weft.agent.it.support.ItSecureMesh;
import io.weft.runtime.support.Await;
import io.weft.runtime.support.OtlpReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent's scenarios, written once and run on each JDK by a subclass: an unmodified app in a child JVM with
 * {@code -javaagent:weft-agent.jar}, real backends and a real control plane on 127.0.0.1 in this JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgentScenarios {

    /** Bounds every child JVM; a healthy one ends in a few seconds. */
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    private static final int SPREAD_CALLS = 60;
    private static final int SPLIT_CALLS = 200;
    private static final int DIRECT_CALLS = 3;

    /**
     * Headers a client may send on its own; a direct call that reaches the backend with anything else (besides the
     * app's {@code X-App-Call}) was touched on the way.
     */
    private static final Set<String> CLIENT_HEADERS = Set.of("host", "connection", "accept", "accept-encoding",
            "user-agent", "content-length", "upgrade", "http2-settings", "x-app-call");

    /** What a healthy child prints on stderr: the JVM's CDS note, the agent's and the runtime's info lines. */
    private static final Pattern EXPECTED_STDERR = Pattern.compile(
            ".*Sharing is only supported for boot loader classes because bootstrap classpath has been appended"
                    + "|\\[weft\\] (?!WARNING).*"
                    + "|\\[[^\\]]+\\] (INFO|DEBUG) io\\.weft\\..*");

    private ItMesh mesh;
    private ItSecureMesh secureMesh;
    private Path work;
    private ItEnv.Jdk jdk;

    /** The JDK that runs the child JVMs. */
    abstract ItEnv.Jdk jdk();

    @BeforeAll
    void startMesh() throws Exception {
        jdk = jdk();
        if (!jdk.present()) {
            System.out.println("[it] " + getClass().getSimpleName() + ": " + absent());
            return;
        }
        work = Files.createTempDirectory(ItEnv.workDir(), getClass().getSimpleName() + "-");
        mesh = ItMesh.start(work);
    }

    private String absent() {
        return jdk + " is not installed on this machine (set -Dit.jdk25=<JDK home> to run these tests); skipped";
    }

    @AfterAll
    void stopMesh() throws Exception {
        if (secureMesh != null) {
            secureMesh.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @BeforeEach
    void clear() {
        assumeTrue(jdk.present(), this::absent);
        mesh.clearSeen();
    }

    private ChildJvm child(String name, List<Path> classpath) {
        return ChildJvm.on(jdk).name(getClass().getSimpleName() + "-" + name).classpath(classpath).timeout(CHILD_TIMEOUT);
    }

    private static String step(String label, int count, String url) {
        return label + "|" + count + "|" + url;
    }

    private String directUrl(String what) {
        return "http://" + mesh.backend(0).address() + "/direct/" + what + "?q=a%20b&n=1";
    }

    private static void assertRan(ChildOutput out) {
        assertThat(out.exit()).as("exit code\n%s", out.describe()).isZero();
        assertThat(out.ended()).as("the app ran to its end\n%s", out.describe()).isTrue();
    }

    /** Every call of a step got a 200. */
    private static List<ChildOutput.Call> assertAllOk(ChildOutput out, String label, int count) {
        List<String> failures = out.failures(label);
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + count + " calls of '" + label + "' failed, e.g.\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(3, failures.size()))) + "\n" + out.describe());
        }
        List<ChildOutput.Call> calls = out.calls(label);
        assertThat(calls).as("calls of %s\n%s", label, out.describe()).hasSize(count);
        assertThat(calls).as("statuses of %s\n%s", label, out.describe()).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
        return calls;
    }

    private List<ItMesh.Seen> seenWith(String label) {
        List<ItMesh.Seen> list = new ArrayList<>();
        for (ItMesh.Seen s : mesh.seen()) {
            String h = s.request().getHeader("X-App-Call");
            if (h != null && h.startsWith(label + "-")) {
                list.add(s);
            }
        }
        return list;
    }

    /**
     * Balancing, a weighted split and an untouched direct call, for one client kind in one child JVM:
     * {@code http://orders/} spreads over three backends (round robin), {@code http://payments/} splits 80/20
     * between subsets, and a call to a backend by {@code 127.0.0.1:port} reaches it exactly as the app made it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ClientKind.class)
    void meshHostsAreBalancedAndSplitAndOtherHostsAreUntouched(ClientKind kind) throws Exception {
        String direct = directUrl(kind.name().toLowerCase(Locale.ROOT));
        ChildOutput out = child(kind.name(), kind.classpath())
                .agent(ItEnv.agentJar(), mesh.controlPlaneArgs(work.resolve("cache-" + kind)))
                .args(kind.appKind(),
                        step("orders", SPREAD_CALLS, "http://orders/spread"),
                        step("payments", SPLIT_CALLS, "http://payments/split"),
                        step("direct", DIRECT_CALLS, direct))
                .run();
        assertRan(out);
        assertThat(out.appLine()).as("the intended client ran\n%s", out.describe()).contains("library=" + kind.library());
        report(kind + " on " + jdk.name(), out);

        // orders: round robin over b0, b1, b2; each call reached a backend once, path and app header intact.
        assertAllOk(out, "orders", SPREAD_CALLS);
        Map<String, Integer> spread = out.countsByBody("orders");
        assertThat(spread).as("orders spread\n%s", out.describe()).containsOnlyKeys("b0", "b1", "b2");
        assertThat(spread.values()).as("orders spread %s", spread)
                .allSatisfy(n -> assertThat(n).isBetween(SPREAD_CALLS / 3 - 5, SPREAD_CALLS / 3 + 5));
        List<ItMesh.Seen> ordersSeen = seenWith("orders");
        assertThat(ordersSeen).as("requests the backends got for orders").hasSize(SPREAD_CALLS);
        assertThat(ordersSeen).allSatisfy(s -> assertThat(s.request().getPath()).isEqualTo("/spread"));
        assertThat(new TreeSet<>(ordersSeen.stream().map(s -> s.request().getHeader("X-App-Call")).toList()))
                .as("each call once").hasSize(SPREAD_CALLS);

        // payments: 80% to v1 (b0, b1), 20% to v2 (b2), within a tolerance of about 3.5 standard deviations.
        assertAllOk(out, "payments", SPLIT_CALLS);
        Map<String, Integer> split = out.countsByBody("payments");
        int v2 = split.getOrDefault("b2", 0);
        assertThat(split).as("payments split").containsOnlyKeys("b0", "b1", "b2");
        assertThat(v2).as("calls to subset v2 (20%% of %d) in %s", SPLIT_CALLS, split).isBetween(20, 64);
        assertThat(split.get("b0") + split.get("b1")).as("calls to subset v1 in %s", split).isBetween(136, 180);

        // direct: 127.0.0.1:port of b0, untouched.
        List<ChildOutput.Call> directCalls = assertAllOk(out, "direct", DIRECT_CALLS);
        assertThat(directCalls).allSatisfy(c -> assertThat(c.body()).isEqualTo("b0"));
        List<ItMesh.Seen> directSeen = seenWith("direct");
        assertThat(directSeen).as("direct requests seen").hasSize(DIRECT_CALLS);
        String expectedPath = direct.substring(direct.indexOf("/direct/"));
        for (ItMesh.Seen s : directSeen) {
            assertThat(s.backend()).isEqualTo("b0");
            assertThat(s.request().getPath()).as("path as the app wrote it").isEqualTo(expectedPath);
            assertThat(s.request().getMethod()).isEqualTo("GET");
            assertThat(s.request().getHeader("Host")).isEqualTo(mesh.backend(0).address());
            assertThat(s.request().getHeader("User-Agent")).as("the client's own User-Agent").startsWith(kind.userAgent());
            Set<String> names = new TreeSet<>();
            s.request().getHeaders().names().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
            assertThat(names).as("headers of a direct call: only the client's own and the app's").isSubsetOf(CLIENT_HEADERS);
        }

        assertThat(out.agentWarnings()).as("agent warnings\n%s", out.describe()).isEmpty();
        assertThat(out.stderr()).as("the agent started\n%s", out.describe()).contains("[weft] agent installed");
        assertThat(out.stderrLines()).as("stderr holds only the agent's info lines (and the JVM's note on class "
                + "sharing)\n%s", out.describe()).allSatisfy(l -> assertThat(l).matches(EXPECTED_STDERR));
    }

    /**
     * An app that bundles an old Jackson (2.9, which it uses to parse the backends' JSON) and its own OkHttp, with
     * the agent (config from {@code -Dweft.config}, YAML read by the agent's relocated Jackson): both work.
     */
    @Test
    void anAppWithItsOwnOldJacksonAndOkHttpIsMeshed() throws Exception {
        List<Path> cp = new ArrayList<>();
        cp.add(ItEnv.appsJar());
        cp.addAll(ItEnv.libs("jackson-2.9"));
        cp.addAll(ItEnv.libs("okhttp-4"));
        ChildOutput out = child("jackson-2.9", cp)
                .agent(ItEnv.agentJar(), null)
                .jvmArg("-Dweft.config=" + mesh.configDir())
                // As the other scenarios: a loaded machine may take longer than the default 5 s to the first config.
                .jvmArg("-Dweft.awaitConfig=30s")
                .args("okhttp-jackson",
                        step("json", 30, "http://orders/json/items"),
                        step("direct", 2, "http://" + mesh.backend(1).address() + "/json/direct"))
                .run();
        assertRan(out);
        report("okhttp + jackson 2.9 on " + jdk.name(), out);
        assertThat(out.appLine()).as("the app's own Jackson\n%s", out.describe())
                .contains("jackson=2.9.10").contains("jackson-databind-2.9.10.8.jar").contains("library=okhttp-4.");
        assertAllOk(out, "json", 30);
        assertThat(out.countsByBody("json")).as("parsed by the app's Jackson, spread by the mesh")
                .containsOnlyKeys("b0", "b1", "b2")
                .allSatisfy((backend, n) -> assertThat(n).isBetween(5, 15));
        assertThat(assertAllOk(out, "direct", 2)).allSatisfy(c -> assertThat(c.body()).isEqualTo("b1"));
        assertThat(out.agentWarnings()).as("agent warnings\n%s", out.describe()).isEmpty();
        assertThat(out.stderr()).contains("[weft] agent installed").doesNotContain("\tat ");
    }

    /**
     * OkHttp 3.10, older than the adapter supports: one warning says so, the app's OkHttp works as without the
     * agent (a direct call succeeds, a mesh name fails with an {@code IOException}), and nothing else reaches the app.
     */
    @Test
    void anOkHttpTooOldForTheAdapterStaysOutOfTheMeshWithOneWarning() throws Exception {
        List<Path> cp = new ArrayList<>();
        cp.add(ItEnv.appsJar());
        cp.addAll(ItEnv.libs("okhttp-3.10"));
        ChildOutput out = child("okhttp-3.10", cp)
                .agent(ItEnv.agentJar(), "config=" + mesh.configDir())
                .args("okhttp", step("direct", DIRECT_CALLS, directUrl("okhttp-3.10")), step("orders", 2, "http://orders/old"))
                .run();
        report("okhttp 3.10 on " + jdk.name(), out);
        assertRan(out);
        assertThat(out.appLine()).contains("library=okhttp-3.10.0.jar");
        assertThat(assertAllOk(out, "direct", DIRECT_CALLS)).allSatisfy(c -> assertThat(c.body()).isEqualTo("b0"));
        assertThat(out.failures("orders")).as("a mesh name, unmeshed\n%s", out.describe()).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("UnknownHostException"));
        assertThat(out.agentWarnings()).as("warnings\n%s", out.describe()).hasSize(1)
                .allSatisfy(w -> assertThat(w).contains("OkHttp"));
    }

    /**
     * An OkHttp that breaks the hook's assumptions: a look-alike {@code okhttp3} (src/it-libs/fake-okhttp) that
     * passes the agent's version check, but whose builder's {@code interceptors()} is unmodifiable. The app builds
     * two clients and calls a backend directly through both: every call answers as without the agent, and the
     * hook's failure is one warning on stderr, however many clients are built.
     */
    @Test
    void anOkHttpLookAlikeWithUnmodifiableInterceptorsRunsUnmeshedWithOneWarning() throws Exception {
        List<Path> cp = new ArrayList<>();
        cp.add(ItEnv.appsJar());
        cp.addAll(ItEnv.libs("fake-okhttp"));
        String direct = directUrl("fake-okhttp");
        int calls = 4;
        ChildOutput out = child("fake-okhttp", cp)
                .agent(ItEnv.agentJar(), "config=" + mesh.configDir())
                .args("okhttp-two-clients", step("direct", calls, direct))
                .run();
        report("look-alike okhttp on " + jdk.name(), out);
        assertRan(out);
        assertThat(out.appLine()).as("the look-alike ran\n%s", out.describe()).contains("library=fake-okhttp.jar");
        assertThat(assertAllOk(out, "direct", calls)).allSatisfy(c -> assertThat(c.body()).isEqualTo("b0"));
        List<ItMesh.Seen> seen = seenWith("direct");
        assertThat(seen).as("direct requests seen").hasSize(calls).allSatisfy(s -> {
            assertThat(s.backend()).isEqualTo("b0");
            assertThat(s.request().getPath()).isEqualTo(direct.substring(direct.indexOf("/direct/")));
        });

        assertThat(out.agentWarnings()).as("agent warnings\n%s", out.describe()).singleElement()
                .satisfies(w -> assertThat(w).contains("the okhttp instrumentation failed")
                        .endsWith(": java.lang.UnsupportedOperationException"));
        assertThat(out.stderrLines()).as("besides that warning, stderr holds only the agent's info lines (and the "
                + "JVM's note on class sharing)\n%s", out.describe())
                .filteredOn(l -> !l.startsWith("[weft] WARNING"))
                .allSatisfy(l -> assertThat(l).matches(EXPECTED_STDERR));
    }

    /**
     * The control plane is down when the app starts (its port is closed): the app runs, calls to ordinary hosts
     * work, mesh names do not resolve (as without the agent), and the agent says why on stderr.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ClientKind.class, names = {"OKHTTP_4", "JDK_HTTP_CLIENT_SYNC", "HTTP_URL_CONNECTION"})
    void theAppRunsWhenTheControlPlaneIsDownAtStart(ClientKind kind) throws Exception {
        Duration await = Duration.ofSeconds(2);
        int closed = ItMesh.closedPort();
        String args = "service=" + ItMesh.SERVICE + ",controlPlane=http://127.0.0.1:" + closed
                + ",token=" + ItMesh.TOKEN + ",cacheDir=" + Files.createTempDirectory(work, "empty-cache-")
                + ",awaitConfig=" + await.toSeconds() + "s";
        ChildOutput out = child("cp-down-" + kind, kind.classpath())
                .agent(ItEnv.agentJar(), args)
                .args(kind.appKind(),
                        step("direct", DIRECT_CALLS, directUrl("cp-down")),
                        step("orders", 1, "http://orders/unreachable"),
                        // The runtime comes up in the background; on a loaded machine its first poll may fail
                        // after the calls above. The app stays a while, as a real one would, to hear of it.
                        step("sleep", 5000, "-"))
                .run();
        assertRan(out);
        report(kind + " with the control plane down on " + jdk.name(), out);
        assertThat(assertAllOk(out, "direct", DIRECT_CALLS)).allSatisfy(c -> assertThat(c.body()).isEqualTo("b0"));
        assertThat(seenWith("direct")).hasSize(DIRECT_CALLS);
        assertThat(out.failures("orders")).as("a mesh name without config fails as it would without the agent\n%s",
                out.describe()).hasSize(1);
        assertThat(out.stepMillis("direct")).as("the first direct call waits at most awaitConfig for config")
                .isLessThan(await.toMillis() + 3_000);
        assertThat(out.stderrLines()).as("the agent warns that the control plane is unreachable\n%s", out.describe())
                .anySatisfy(l -> assertThat(l).contains("WARN").contains("127.0.0.1:" + closed).contains("unreachable"));
        assertThat(out.stderr()).doesNotContain("\tat ");
    }

    /**
     * Unknown and malformed agent arguments: one warning naming each setting, the rest of the settings (config from
     * the environment, {@code WEFT_CONFIG}) still apply and the app is meshed.
     */
    @Test
    void wrongAgentArgumentsAreNamedOnceAndIgnored() throws Exception {
        ChildOutput out = child("wrong-args", ClientKind.JDK_HTTP_CLIENT_SYNC.classpath())
                .agent(ItEnv.agentJar(), "foo=bar,awaitConfig=xyz")
                .env("WEFT_CONFIG", mesh.configDir().toString())
                .args("jdk-sync", step("orders", 6, "http://orders/wrong-args"), step("direct", 1, directUrl("wrong-args")))
                .run();
        assertRan(out);
        report("wrong agent arguments on " + jdk.name(), out);
        List<String> warnings = out.agentWarnings();
        assertThat(warnings).as("warnings\n%s", out.describe()).hasSize(2);
        assertThat(warnings.stream().filter(w -> w.contains("'foo'")).toList()).as("naming foo").hasSize(1);
        assertThat(warnings.stream().filter(w -> w.contains("'awaitConfig'")).toList()).as("naming awaitConfig")
                .hasSize(1).allSatisfy(w -> assertThat(w).contains("xyz"));
        assertThat(out.countsByBody("orders")).containsOnlyKeys("b0", "b1", "b2");
        assertAllOk(out, "orders", 6);
        assertAllOk(out, "direct", 1);
    }

    /**
     * An unmodified grpc-java app: a channel from {@code ManagedChannelBuilder.forTarget("echo:50051")} goes through
     * the mesh (round robin over three real gRPC servers, server streaming, an instance answering UNAVAILABLE
     * ejected while every call succeeds, the route's timeout as a deadline), and a channel to a server's own
     * address is left alone.
     */
    @Test
    void grpcChannelsToMeshServicesGoThroughTheMesh() throws Exception {
        try (GrpcEchoServers grpc = GrpcEchoServers.start()) {
            Path config = Files.createDirectories(work.resolve("grpc-mesh"));
            StringBuilder yaml = new StringBuilder("service: echo\nendpoints:\n");
            for (int i = 0; i < 3; i++) {
                yaml.append("  - { address: 127.0.0.1:").append(grpc.port(i)).append(" }\n");
            }
            yaml.append("policy: { loadBalancer: round-robin, outlierDetection: { consecutiveErrors: 2, baseEjectionTime: 60s } }\n")
                    .append("routes:\n")
                    .append("  - { name: slow, match: { path: { exact: /test.Echo/Slow } }, timeout: 300ms }\n")
                    .append("  - { name: rest, retries: { attempts: 2, on: [ unavailable ] } }\n");
            Files.writeString(config.resolve("echo.yaml"), yaml.toString());
            List<Path> cp = new ArrayList<>();
            cp.add(ItEnv.appsJar());
            cp.addAll(ItEnv.libs("grpc"));
            // A channel is meshed or not when it is built, so let a slow start on a busy machine not decide that.
            ChildOutput out = child("grpc", cp)
                    .agent(ItEnv.agentJar(), "config=" + config + ",awaitConfig=30s")
                    .args("grpc",
                            step("spread", 30, "say/hi@echo:50051"),
                            step("stream", 6, "stream/3@echo:50051"),
                            step("direct", 3, "say/hi@127.0.0.1:" + grpc.port(0)),
                            step("slow", 2, "slow/x@echo:50051"),
                            step("flaky", 30, "say/flaky@echo:50051"))
                    .run();
            assertRan(out);
            report("grpc-java on " + jdk.name(), out);
            assertThat(out.appLine()).as("the app's grpc-java\n%s", out.describe()).contains("library=grpc-api-");

            assertAllOk(out, "spread", 30);
            assertThat(out.countsByBody("spread")).as("round robin").containsOnlyKeys("b0", "b1", "b2")
                    .allSatisfy((server, n) -> assertThat(n).isEqualTo(10));
            assertThat(assertAllOk(out, "stream", 6)).allSatisfy(c -> assertThat(c.body()).matches("(b[012]),\\1,\\1"));
            assertThat(assertAllOk(out, "direct", 3)).allSatisfy(c -> assertThat(c.body()).isEqualTo("b0"));
            assertThat(grpc.seen().stream().filter(s -> s.appCall().startsWith("direct-")).map(GrpcEchoServers.Seen::server))
                    .as("direct calls went to b0 only").hasSize(3).containsOnly("b0");
            assertThat(out.failures("slow")).as("the route's timeout\n%s", out.describe()).hasSize(2)
                    .allSatisfy(f -> assertThat(f).contains("DEADLINE_EXCEEDED"));
            assertThat(assertAllOk(out, "flaky", 30)).allSatisfy(c -> assertThat(c.body()).isIn("b0", "b1"));
            assertThat(grpc.seen().stream().filter(s -> s.appCall().startsWith("flaky-") && s.server().equals("b2")).count())
                    // Two consecutive failures eject; a timed-out slow call may have been b2's first.
                    .as("b2 ejected after two consecutive failures").isBetween(1L, 3L);
            assertThat(out.agentWarnings()).as("agent warnings\n%s", out.describe()).isEmpty();
        }
    }

    /**
     * The agent's telemetry, all opted in: the admin port (read by the app itself, through its own client, as a
     * direct call), client spans exported over OTLP to a real receiver, and one access-log line per call carrying
     * the trace the backend saw.
     */
    @Test
    void adminPortTracesAndAccessLogReportTheCallsMade() throws Exception {
        int adminPort = ItMesh.closedPort();
        int calls = 9;
        try (OtlpReceiver otlp = OtlpReceiver.start()) {
            String admin = "http://127.0.0.1:" + adminPort;
            ChildOutput out = child("telemetry", ClientKind.JDK_HTTP_CLIENT_SYNC.classpath())
                    .agent(ItEnv.agentJar(), mesh.controlPlaneArgs(work.resolve("cache-telemetry"))
                            + ",adminPort=" + adminPort + ",accessLog=true,otlpEndpoint=" + otlp.endpoint())
                    .args("jdk-sync", step("traced", calls, "http://orders/traced"),
                            step("showmetrics", 1, admin + "/stats/prometheus"),
                            step("showclusters", 1, admin + "/clusters"))
                    .run();
            assertRan(out);
            report("telemetry on " + jdk.name(), out);
            assertAllOk(out, "traced", calls);

            // The scrape, taken after the calls: every call counted under its service and route.
            assertAllOk(out, "showmetrics", 1);
            List<String> scrape = out.bodyLines("showmetrics");
            long counted = scrape.stream()
                    .filter(l -> l.startsWith("weft_client_requests_seconds_count{") && l.contains("service=\"orders\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertThat(counted).as("calls counted in the scrape\n%s", String.join("\n", scrape)).isEqualTo(calls);
            assertThat(scrape).contains("weft_client_endpoints{service=\"orders\",state=\"available\"} 3.0");
            assertThat(String.join("\n", out.bodyLines("showclusters"))).contains("\"orders\"").contains("\"available\"");

            // Spans: one CLIENT span per attempt, exported at exit, each the trace and parent the backend saw.
            List<ItMesh.Seen> seen = seenWith("traced");
            assertThat(seen).hasSize(calls);
            Await.until(Duration.ofSeconds(10), "the spans reach the receiver", () -> otlp.spans().size() >= calls);
            Map<String, OtlpReceiver.ReceivedSpan> bySpanId = new java.util.HashMap<>();
            otlp.spans().forEach(span -> bySpanId.put(span.spanId(), span));
            assertThat(otlp.spans()).hasSize(calls).allSatisfy(span -> {
                assertThat(span.resourceAttribute("service.name")).isEqualTo(ItMesh.SERVICE);
                assertThat(span.attribute("http.request.method")).isEqualTo("GET");
            });
            Set<String> traceIds = new TreeSet<>();
            for (ItMesh.Seen s : seen) {
                String[] traceparent = s.request().getHeader("traceparent").split("-");
                OtlpReceiver.ReceivedSpan span = bySpanId.get(traceparent[2]);
                assertThat(span).as("an exported span for %s", String.join("-", traceparent)).isNotNull();
                assertThat(span.traceId()).isEqualTo(traceparent[1]);
                traceIds.add(traceparent[1]);
            }

            // Access log: one JSON line per meshed call (not for the direct ones), with the trace of its attempt.
            List<String> access = out.stderrLines().stream().filter(l -> l.contains("weft.access")).toList();
            assertThat(access).as("access log lines\n%s", out.describe()).hasSize(calls)
                    .allSatisfy(l -> assertThat(l).contains("\"service\":\"orders\"").contains("\"status\":200"));
            Set<String> loggedTraces = new TreeSet<>();
            for (String line : access) {
                String json = line.substring(line.indexOf('{'));
                loggedTraces.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("trace_id").asText());
            }
            assertThat(loggedTraces).isEqualTo(traceIds);
            assertThat(out.agentWarnings()).as("agent warnings\n%s", out.describe()).isEmpty();
        }
    }

    /**
     * Security under the agent: the app's calls to {@code vault}, a STRICT service, go over mTLS with the workload
     * certificate the agent's runtime got from the control plane's CA (over the control plane's TLS API), for every
     * HTTP client; vault's server sees the app's SPIFFE ID, and its rules refuse a path they do not allow.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ClientKind.class)
    void callsToAStrictServiceGoOverMtlsWithTheWorkloadCertificate(ClientKind kind) throws Exception {
        if (secureMesh == null) {
            secureMesh = ItSecureMesh.start(work);
        }
        ChildOutput out = child("mtls-" + kind, kind.classpath())
                .agent(ItEnv.agentJar(), secureMesh.agentArgs(Files.createTempDirectory(work, "mtls-cache-")))
                .args(kind.appKind(),
                        step("vault", 3, "http://vault/secret/a"),
                        step("denied", 1, "http://vault/admin"))
                .run();
        assertRan(out);
        report(kind + " over mTLS on " + jdk.name(), out);
        assertThat(assertAllOk(out, "vault", 3)).as(out.describe())
                .allSatisfy(c -> assertThat(c.body()).isEqualTo("peer=spiffe://weft.local/ns/default/sa/frontend"));
        assertThat(out.calls("denied")).as(out.describe()).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(403));
        assertThat(out.stderr()).doesNotContain("\tat ");
    }

    private static void report(String what, ChildOutput out) {
        StringBuilder steps = new StringBuilder();
        for (String line : out.stdout()) {
            if (line.startsWith("STEP ")) {
                steps.append(" | ").append(line.substring(5));
            }
        }
        System.out.println("[it] " + what + ": child JVM " + out.took().toMillis() + " ms" + steps);
    }
}
