package io.weft.samples.quickstart;

import io.weft.api.Explanation;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.control.ControlPlane;
import io.weft.control.RunningControlPlane;
import io.weft.control.config.RejectedChange;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.control.ConfigStatus;
import io.weft.runtime.engine.CallListener;
import io.weft.runtime.engine.CallRecord;
import io.weft.runtime.engine.EndpointState;
import io.weft.runtime.engine.ServicePlan;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.WatchService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weft's quickstart: three local backends ({@code v1-a}, {@code v1-b} on version v1, {@code v2} on version v2),
 * one mesh service {@code shop} over them, a real control plane embedded in the same JVM that serves the mesh
 * config from a directory of YAML, and an app (service {@code storefront}) calling {@code http://shop/...} through
 * a {@link MeshClient} whose runtime takes its config from that control plane.
 * It shows, in order: load balancing, a canary split and a header route, a failing backend retried around,
 * ejected and brought back, a config file edited while the app runs (and an invalid edit rejected), a fourth
 * backend registering itself and deregistering, mTLS and authorization with certificates from the control plane's
 * CA ({@link SecurityStep}), and the app seeing only 200s throughout.
 *
 * <p>{@link #main} runs it and exits 0 when every check of the demo held, 1 when one did not.
 * {@link #run(PrintStream)} runs the same scenario and returns what happened, for tests.
 */
public final class Quickstart {

    /** The embedded config template (a class-path resource of this jar). */
    public static final String CONFIG_RESOURCE = "mesh/quickstart.yaml";
    /** The file the demo writes, rendered, into the control plane's config directory. */
    public static final String CONFIG_FILE = "quickstart.yaml";
    /** The app's own service name: its identity towards the control plane. */
    public static final String APP_SERVICE = "storefront";
    /** The service the app calls, and that the backends are instances of. */
    public static final String MESH_SERVICE = "shop";

    static final int LB_CALLS = 100;
    static final int SPLIT_CALLS = 1000;
    static final int HEADER_CALLS = 50;
    static final double CANARY_PERCENT = 10.0;
    /** How far the observed canary share may be from 10 % (in points) before the demo calls it wrong. */
    static final double SPLIT_TOLERANCE = 4.0;
    static final int MAX_CALLS_TO_EJECT = 40;
    static final int CALLS_WHILE_EJECTED = 20;
    static final int CALLS_AFTER_RETURN = 20;
    /** Longest wait for the ejected backend to come back: its 3 s ejection plus slack. */
    static final long RETURN_WAIT_MILLIS = 10_000;

    /** Longest wait for the app's first config from the control plane (well under a second, even in a cold JVM). */
    static final long FIRST_CONFIG_WAIT_MILLIS = 10_000;
    /** How long registered instances live without a heartbeat; their runtimes heartbeat at a third of it. */
    static final Duration INSTANCE_TTL = Duration.ofSeconds(10);
    /**
     * Longest the demo accepts between saving the config file and the app's calls following it. A change takes a
     * file event, 150 ms of debounce, a reload and a long poll's answer: 0.2 to 0.5 s here.
     */
    static final long LIVE_CHANGE_MAX_MILLIS = 3_000;
    /** The control plane's re-scan of its directory where file events are slow; see {@link #watchServicePolls()}. */
    static final Duration POLLING_RESCAN_INTERVAL = Duration.ofMillis(500);
    static final int CATALOG_CALLS_AFTER_CHANGE = 20;
    static final int LIVE_SPLIT_CALLS = 400;
    static final double LIVE_CANARY_PERCENT = 50.0;
    /** 400 calls at 50 %: one standard deviation is 2.5 points, so 10 points is 4 of them. */
    static final double LIVE_SPLIT_TOLERANCE = 10.0;
    static final long REJECTION_WAIT_MILLIS = 3_000;
    static final int CALLS_WHILE_REJECTED = 100;
    /** Longest the demo accepts between a registration (or deregistration) and the app's config showing it. */
    static final long REGISTRATION_MAX_MILLIS = 3_000;
    static final int REGISTRATION_CALLS = 200;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private PrintStream out;
    private MeshClient client;
    private Map<String, Backend> backends;
    private int totalCalls;
    private int non200;
    private int endpointMismatches;
    private final List<String> unexpected = new ArrayList<>();
    /** The config versions the app applied, each with why, for the summary. */
    private final List<String> versions = new ArrayList<>();

    public static void main(String[] args) {
        int code;
        try {
            Result result = new Quickstart().run(System.out);
            code = result.passed() ? 0 : 1;
        } catch (Exception e) {
            System.out.flush();
            System.err.println("quickstart: the demo could not run: " + e);
            e.printStackTrace();
            code = 2;
        }
        System.out.flush();
        System.exit(code);
    }

    /**
     * The embedded config with each {@code ${name}} placeholder replaced by {@code values.get(name)}.
     *
     * @throws IllegalArgumentException when the template names a placeholder that has no value
     */
    public static String renderConfig(Map<String, String> values) {
        String template = resource(CONFIG_RESOURCE);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(CONFIG_RESOURCE + " has a placeholder ${" + m.group(1)
                        + "} with no value (have: " + values.keySet() + ")");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A text resource of this jar. */
    static String resource(String name) {
        try (InputStream in = Quickstart.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The live edit of step 4, as an operator would make it in the file: the catalog moves to v2, and the canary
     * split goes from 90/10 to 50/50.
     */
    public static String liveEdit(String yaml) {
        String edited = replaceOnce(yaml, "- subset: v1\n", "- subset: v2\n");
        edited = replaceOnce(edited, "{ subset: v1, weight: 90 }", "{ subset: v1, weight: 50 }");
        return replaceOnce(edited, "{ subset: v2, weight: 10 }", "{ subset: v2, weight: 50 }");
    }

    /** Step 4's invalid edit, made to the {@link #liveEdit} text: half the traffic to a subset that does not exist. */
    public static String invalidEdit(String liveEdited) {
        return replaceOnce(liveEdited, "{ subset: v2, weight: 50 }", "{ subset: v3, weight: 50 }");
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException(CONFIG_RESOURCE + " does not contain '" + from.strip()
                    + "' exactly once; the demo's edit no longer fits the template");
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /** Runs the whole demo, printing to {@code out}; returns what was observed, with any failed check listed. */
    public Result run(PrintStream out) throws IOException, InterruptedException {
        this.out = out;
        long started = System.nanoTime();
        Result.Builder result = new Result.Builder();
        // Config directory and snapshot caches: all of it is deleted at the end.
        Path workDir = Files.createTempDirectory("weft-quickstart-");
        try (Backend v1a = Backend.start("v1-a", "v1");
             Backend v1b = Backend.start("v1-b", "v1");
             Backend v2 = Backend.start("v2", "v2")) {
            backends = new LinkedHashMap<>();
            for (Backend b : List.of(v1a, v1b, v2)) {
                backends.put(b.name(), b);
            }
            title("Weft quickstart: a service mesh inside the app, no sidecar");
            out.println("Started 3 backends on 127.0.0.1:");
            for (Backend b : backends.values()) {
                out.printf("  %-5s version %s  at %s%n", b.name(), b.version(), b.address());
            }

            Map<String, String> addresses = new LinkedHashMap<>();
            backends.values().forEach(b -> addresses.put(b.name(), b.address()));
            String yaml = renderConfig(addresses);
            Path configDir = Files.createDirectory(workDir.resolve("mesh"));
            Path configFile = configDir.resolve(CONFIG_FILE);
            Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
            out.println("Wrote " + CONFIG_FILE + " (from the embedded " + CONFIG_RESOURCE
                    + ", backend ports filled in) to");
            out.println("  " + configDir);
            out.println("  service 'shop', subsets v1 and v2, routes canary-header, catalog, canary-split,");
            out.println("  round-robin, retries on 503, outlier detection after 3 errors (3 s ejection)");
            out.flush();

            // One token per service: the app reads config as 'storefront'; shop's instances register as 'shop'.
            Map<String, String> tokens = Map.of(APP_SERVICE, newToken(), MESH_SERVICE, newToken(),
                    SecurityStep.SERVICE, newToken());
            Files.writeString(configDir.resolve("vault.yaml"), resource(SecurityStep.CONFIG_RESOURCE),
                    StandardCharsets.UTF_8);
            AtomicInteger retries = new AtomicInteger();
            AtomicInteger lastAttempts = new AtomicInteger();
            CallListener listener = (CallRecord call) -> {
                lastAttempts.set(call.attempts());
                if (call.attempts() > 1) {
                    retries.addAndGet(call.attempts() - 1);
                }
            };
            ControlPlane.Builder controlPlane = ControlPlane.builder()
                    .configDir(configDir)
                    .host("127.0.0.1").port(0)
                    .tokens(tokens)
                    .instanceTtl(INSTANCE_TTL)
                    .caDir(workDir.resolve("ca"))
                    .workerThreads(1);
            if (watchServicePolls()) {
                // Where the JDK's WatchService polls (macOS: every 10 s), the control plane's safety-net re-scan
                // (every 5 s by default) is what notices step 4's edits; make it quick enough for the demo.
                controlPlane.configRescanInterval(POLLING_RESCAN_INTERVAL);
            }
            try (RunningControlPlane cp = controlPlane.build().start()) {
                result.controlPlane = cp.uri().toString();
                out.printf("Control plane up at %s (embedded in this JVM; it watches that directory,%n", cp.uri());
                out.printf("  tokens for services '%s' and '%s', instance TTL %d s), serving snapshot version %d.%n",
                        APP_SERVICE, MESH_SERVICE, INSTANCE_TTL.toSeconds(), cp.status().version());

                try (WeftRuntime runtime = WeftRuntime.builder()
                        .controlPlane(cp.uri().toString(), tokens.get(APP_SERVICE))
                        .service(APP_SERVICE)
                        .cacheDir(workDir.resolve("cache"))
                        .listener(listener)
                        .build();
                     MeshClient meshClient = runtime.client()) {
                    if (!runtime.awaitConfig(Duration.ofMillis(FIRST_CONFIG_WAIT_MILLIS))) {
                        throw new IllegalStateException("the app got no config from the control plane within "
                                + FIRST_CONFIG_WAIT_MILLIS + " ms: " + runtime.configStatus().lastError());
                    }
                    ConfigStatus status = runtime.configStatus();
                    result.firstVersion = status.version();
                    versions.add(status.version() + "  the config file as written at the start");
                    result.firstConfigSource = status.source();
                    out.printf("The app (service '%s') got its config from there: it applied snapshot version %d.%n",
                            APP_SERVICE, status.version());
                    if (!"control-plane".equals(status.source())) {
                        unexpected.add("first config: the app's config came from " + status.source()
                                + ", not from the control plane");
                    }
                    this.client = meshClient;
                    loadBalancing(result);
                    canary(result);
                    failingBackend(result, runtime, v1b, lastAttempts);
                    liveChange(result, runtime, cp, configFile, yaml);
                    selfRegistration(result, runtime, cp, tokens.get(MESH_SERVICE), workDir.resolve("cache"));
                    section("6. mTLS and authorization");
                    result.security = SecurityStep.run(out, unexpected, runtime, meshClient, cp,
                            tokens.get(SecurityStep.SERVICE), workDir.resolve("cache"));
                    result.lastVersion = runtime.configStatus().version();
                }
            }

            section("7. What the app saw");
            out.printf("   %d calls to http://shop/..., %d non-200 responses.%n", totalCalls, non200);
            out.printf("   The mesh retried %d attempts behind the app's back; %s answered %d x 503 that the app never saw.%n",
                    retries.get(), v1b.name(), v1b.errorsServed());
            out.println("   Config versions it applied from the control plane while it ran, without a restart:");
            versions.forEach(v -> out.println("     " + v));
            if (result.rejection != null && result.rejection.appVersionAfter() == result.rejection.goodVersion()) {
                out.println("   The invalid edit never reached it.");
            }
            result.totalCalls = totalCalls;
            result.non200 = non200;
            result.retries = retries.get();
            result.errorsServedByFailingBackend = v1b.errorsServed();
            if (non200 != 0) {
                unexpected.add(non200 + " calls reached the app with a status other than 200");
            }
        } finally {
            deleteRecursively(workDir);
        }
        result.failures = List.copyOf(unexpected);
        Result r = result.build();
        out.println();
        if (r.passed()) {
            out.printf("PASS: every check of the demo held (%.1f s).%n", (System.nanoTime() - started) / 1e9);
        } else {
            out.println("FAIL: " + r.failures().size() + " check(s) did not hold:");
            r.failures().forEach(f -> out.println("  - " + f));
        }
        return r;
    }

    private void loadBalancing(Result.Builder result) {
        section("1. Load balancing");
        out.printf("   %d calls to http://shop/catalog/items (route 'catalog': subset v1, round-robin)%n", LB_CALLS);
        Map<String, Integer> counts = zeroCounts();
        for (int i = 0; i < LB_CALLS; i++) {
            String backend = call(MeshRequest.get("http://shop/catalog/items").build());
            count(counts, backend);
        }
        printCounts(counts, LB_CALLS);
        result.loadBalancing = counts;
        for (String v1 : List.of("v1-a", "v1-b")) {
            if (counts.get(v1) < LB_CALLS * 0.4) {
                unexpected.add("load balancing: " + v1 + " got " + counts.get(v1) + " of " + LB_CALLS + " calls");
            }
        }
        if (counts.get("v2") != 0) {
            unexpected.add("load balancing: the v2 backend got " + counts.get("v2") + " catalog calls; the route sends none there");
        }
    }

    private void canary(Result.Builder result) {
        section("2. Canary release");
        out.printf("   %d calls to http://shop/checkout (route 'canary-split': v1 90%%, v2 10%%)%n", SPLIT_CALLS);
        Map<String, Integer> counts = zeroCounts();
        for (int i = 0; i < SPLIT_CALLS; i++) {
            count(counts, call(MeshRequest.get("http://shop/checkout").build()));
        }
        int v1 = counts.get("v1-a") + counts.get("v1-b");
        int v2 = counts.get("v2");
        double v2Percent = printSplit(counts, SPLIT_CALLS);
        result.split = counts;
        result.canaryPercent = v2Percent;
        if (Math.abs(v2Percent - CANARY_PERCENT) > SPLIT_TOLERANCE) {
            unexpected.add(String.format(Locale.ROOT, "canary split: v2 got %.1f%% of calls, expected %.0f%% +/- %.0f",
                    v2Percent, CANARY_PERCENT, SPLIT_TOLERANCE));
        }
        if (v1 + v2 != SPLIT_CALLS) {
            unexpected.add("canary split: " + (SPLIT_CALLS - v1 - v2) + " calls were answered by no backend");
        }

        out.printf("   %d calls to http://shop/checkout with header x-canary: true (route 'canary-header')%n", HEADER_CALLS);
        Map<String, Integer> header = zeroCounts();
        for (int i = 0; i < HEADER_CALLS; i++) {
            count(header, call(MeshRequest.get("http://shop/checkout").header("x-canary", "true").build()));
        }
        out.printf("     v2  %d of %d%n", header.get("v2"), HEADER_CALLS);
        result.headerCalls = HEADER_CALLS;
        result.headerToCanary = header.get("v2");
        if (header.get("v2") != HEADER_CALLS) {
            unexpected.add("header route: only " + header.get("v2") + " of " + HEADER_CALLS + " x-canary calls reached v2");
        }
    }

    private void failingBackend(Result.Builder result, WeftRuntime runtime, Backend failing, AtomicInteger lastAttempts)
            throws InterruptedException {
        section("3. A failing backend");
        failing.failWith(503);
        result.failingBackend = failing.name();
        result.failingAddress = failing.address();
        out.printf("   %s now answers every request with 503. Calls to http://shop/catalog/items:%n", failing.name());
        MeshRequest catalog = MeshRequest.get("http://shop/catalog/items").build();
        int calls = 0;
        while (!isEjected(runtime, failing) && calls < MAX_CALLS_TO_EJECT) {
            calls++;
            String backend = call(catalog);
            int attempts = lastAttempts.get();
            out.printf("     call %2d: app got 200 from %s%s%n", calls, backend,
                    attempts > 1 ? " after " + attempts + " attempts (the 503 was retried on another instance)" : "");
        }
        out.flush();
        if (!isEjected(runtime, failing)) {
            unexpected.add("outlier detection: " + failing.name() + " was not ejected after " + calls + " calls");
            return;
        }
        result.callsUntilEjected = calls;
        out.printf("   %s was ejected after %d calls; the app got 200 every time.%n", failing.name(), calls);

        Explanation explanation = client.explain(catalog);
        result.explanation = explanation.toText();
        result.explainNamedEjected = explanation.endpoints().stream().anyMatch(v ->
                v.endpoint().address().equals(failing.address()) && !v.available()
                        && v.reason() != null && v.reason().contains("ejected"));
        out.println("   client.explain(GET http://shop/catalog/items):");
        printExplanation(explanation);
        if (!result.explainNamedEjected) {
            unexpected.add("explain: the explanation does not name " + failing.address() + " as ejected");
        }

        int before = failing.requests();
        Map<String, Integer> counts = zeroCounts();
        for (int i = 0; i < CALLS_WHILE_EJECTED; i++) {
            count(counts, call(catalog));
        }
        result.failingHitsWhileEjected = failing.requests() - before;
        out.printf("   %d more calls while it is out: v1-a %d, v1-b %d (%s received %d requests)%n", CALLS_WHILE_EJECTED,
                counts.get("v1-a"), counts.get("v1-b"), failing.name(), result.failingHitsWhileEjected);
        if (result.failingHitsWhileEjected != 0) {
            unexpected.add("ejection: " + failing.name() + " still received " + result.failingHitsWhileEjected
                    + " requests while ejected");
        }

        failing.heal();
        out.printf("   %s is fixed (answers 200 again); the mesh sends it traffic once its ejection time is up...%n",
                failing.name());
        out.flush();
        long healedAt = System.nanoTime();
        long deadline = healedAt + TimeUnit.MILLISECONDS.toNanos(RETURN_WAIT_MILLIS);
        while (isEjected(runtime, failing) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (isEjected(runtime, failing)) {
            unexpected.add("return: " + failing.name() + " was still ejected " + RETURN_WAIT_MILLIS + " ms after it was fixed");
            return;
        }
        result.returnedToRotation = true;
        out.printf("   %s is back in rotation (%.1f s after the fix).%n", failing.name(), (System.nanoTime() - healedAt) / 1e9);
        before = failing.requests();
        counts = zeroCounts();
        for (int i = 0; i < CALLS_AFTER_RETURN; i++) {
            count(counts, call(catalog));
        }
        result.failingHitsAfterReturn = failing.requests() - before;
        out.printf("   %d calls: v1-a %d, v1-b %d%n", CALLS_AFTER_RETURN, counts.get("v1-a"), counts.get("v1-b"));
        if (counts.get(failing.name()) == 0) {
            unexpected.add("return: " + failing.name() + " got none of " + CALLS_AFTER_RETURN + " calls after its return");
        }
    }

    private void liveChange(Result.Builder result, WeftRuntime runtime, RunningControlPlane cp, Path file, String yaml)
            throws IOException, InterruptedException {
        section("4. A live config change");
        long versionBefore = runtime.configStatus().version();
        String edited = liveEdit(yaml);
        out.printf("   The app runs on snapshot version %d. The demo edits %s in the control plane's%n",
                versionBefore, CONFIG_FILE);
        out.println("   directory (a temp file, then a rename over the original, as editors save):");
        out.println("     route 'catalog':      to subset v1         ->  to subset v2");
        out.println("     route 'canary-split': v1 90 %, v2 10 %     ->  v1 50 %, v2 50 %");
        out.flush();

        // Time from the save until the app's calls follow the new route: a catalog call answered by v2.
        MeshRequest catalog = MeshRequest.get("http://shop/catalog/items").build();
        int non200Before = non200;
        int calls = 0;
        boolean followed = false;
        long savedAt = System.nanoTime();
        saveLikeAnEditor(file, edited);
        long deadline = savedAt + TimeUnit.MILLISECONDS.toNanos(LIVE_CHANGE_MAX_MILLIS);
        while (System.nanoTime() < deadline) {
            calls++;
            if ("v2".equals(call(catalog))) {
                followed = true;
                break;
            }
            Thread.sleep(5);
        }
        long millisToFollow = millisSince(savedAt);
        out.flush();
        if (!followed) {
            unexpected.add("live change: " + LIVE_CHANGE_MAX_MILLIS + " ms after the edit, calls to the catalog still "
                    + "went to v1 (app on version " + runtime.configStatus().version() + ", control plane on "
                    + cp.status().version() + ")");
            return;
        }
        long versionAfter = runtime.configStatus().version();
        versions.add(versionAfter + "  the edit: catalog to v2, canary split 50/50");
        out.printf("   The app's calls followed the edit %.2f s after the save: catalog call %d was answered by v2%n",
                millisToFollow / 1000.0, calls);
        out.printf("   (the app now runs on version %d; the %d calls before got 200 from v1, %d non-200).%n",
                versionAfter, calls - 1, non200 - non200Before);
        if (versionAfter <= versionBefore) {
            unexpected.add("live change: the app's version did not grow (" + versionBefore + " -> " + versionAfter + ")");
        }
        Map<String, Integer> catalogCounts = zeroCounts();
        for (int i = 0; i < CATALOG_CALLS_AFTER_CHANGE; i++) {
            count(catalogCounts, call(catalog));
        }
        out.printf("   %d more calls to http://shop/catalog/items: v2 %d of %d%n", CATALOG_CALLS_AFTER_CHANGE,
                catalogCounts.get("v2"), CATALOG_CALLS_AFTER_CHANGE);
        if (catalogCounts.get("v2") != CATALOG_CALLS_AFTER_CHANGE) {
            unexpected.add("live change: after the switch, only " + catalogCounts.get("v2") + " of "
                    + CATALOG_CALLS_AFTER_CHANGE + " catalog calls went to v2");
        }

        out.printf("   %d calls to http://shop/checkout (route 'canary-split', now v1 50%%, v2 50%%)%n", LIVE_SPLIT_CALLS);
        Map<String, Integer> split = zeroCounts();
        for (int i = 0; i < LIVE_SPLIT_CALLS; i++) {
            count(split, call(MeshRequest.get("http://shop/checkout").build()));
        }
        double canaryPercent = printSplit(split, LIVE_SPLIT_CALLS);
        if (Math.abs(canaryPercent - LIVE_CANARY_PERCENT) > LIVE_SPLIT_TOLERANCE) {
            unexpected.add(String.format(Locale.ROOT, "live change: v2 got %.1f%% of checkout calls after the edit, "
                    + "expected %.0f%% +/- %.0f", canaryPercent, LIVE_CANARY_PERCENT, LIVE_SPLIT_TOLERANCE));
        }
        result.liveChange = new LiveChange(versionBefore, versionAfter, millisToFollow, calls,
                catalogCounts.get("v2"), Result.Builder.ordered(split), canaryPercent);

        rejectedEdit(result, runtime, cp, file, edited, versionAfter);
    }

    private void rejectedEdit(Result.Builder result, WeftRuntime runtime, RunningControlPlane cp, Path file,
                              String goodYaml, long goodVersion) throws IOException, InterruptedException {
        out.println("   Now an invalid edit: route 'canary-split' sends its 50 % to subset v3, which does not exist.");
        out.flush();
        saveLikeAnEditor(file, invalidEdit(goodYaml));
        if (await(REJECTION_WAIT_MILLIS, () -> cp.status().lastRejected() != null) < 0) {
            unexpected.add("rejection: " + REJECTION_WAIT_MILLIS + " ms after the invalid edit, the control plane's "
                    + "status shows no rejected change");
            saveLikeAnEditor(file, goodYaml);
            return;
        }
        // The control plane logs the rejection just after it records it; let that line print first.
        Thread.sleep(50);
        RejectedChange rejected = cp.status().lastRejected();
        out.println("   The control plane rejected it. Its status (GET /v1/status) says, under lastRejected:");
        rejected.errors().forEach(e -> out.println("     " + e));
        boolean named = rejected.errors().stream().anyMatch(e -> e.startsWith(CONFIG_FILE + ":")
                && e.contains("routes[2].to[1].subset") && e.contains("'v3'"));
        if (!named) {
            unexpected.add("rejection: the status does not name " + CONFIG_FILE + ", line, routes[2].to[1].subset and "
                    + "v3: " + rejected.errors());
        }

        int ok = 0;
        Map<String, Integer> counts = zeroCounts();
        for (int i = 0; i < CALLS_WHILE_REJECTED; i++) {
            String backend = call(MeshRequest.get("http://shop/checkout").build());
            if (backend != null) {
                ok++;
            }
            count(counts, backend);
        }
        long versionWhileRejected = runtime.configStatus().version();
        out.printf("   The app keeps the last good config, version %d:%n", versionWhileRejected);
        out.printf("   %d calls to http://shop/checkout, %d x 200 (v1 %d, v2 %d).%n", CALLS_WHILE_REJECTED, ok,
                counts.get("v1-a") + counts.get("v1-b"), counts.get("v2"));
        if (versionWhileRejected != goodVersion || cp.status().version() != goodVersion) {
            unexpected.add("rejection: the version changed after an invalid edit (app " + versionWhileRejected
                    + ", control plane " + cp.status().version() + ", expected " + goodVersion + ")");
        }
        if (ok != CALLS_WHILE_REJECTED) {
            unexpected.add("rejection: only " + ok + " of " + CALLS_WHILE_REJECTED + " calls got 200 after the invalid edit");
        }

        saveLikeAnEditor(file, goodYaml);
        boolean cleared = await(REJECTION_WAIT_MILLIS, () -> cp.status().lastRejected() == null) >= 0;
        long versionAfterFix = cp.status().version();
        if (cleared) {
            out.printf("   The file is put back: lastRejected is cleared, and nothing new is published%n");
            out.printf("   (the content is that of version %d again).%n", versionAfterFix);
        } else {
            unexpected.add("rejection: the control plane still shows the rejected change after the file was put back");
        }
        if (versionAfterFix != goodVersion) {
            unexpected.add("rejection: putting the good file back published version " + versionAfterFix
                    + "; its content is that of " + goodVersion);
        }
        result.rejection = new Rejection(rejected.errors(), goodVersion, versionWhileRejected, CALLS_WHILE_REJECTED, ok,
                cleared, versionAfterFix);
    }

    private void selfRegistration(Result.Builder result, WeftRuntime runtime, RunningControlPlane cp, String shopToken,
                                  Path cacheDir) throws IOException, InterruptedException {
        section("5. Self-registration");
        try (Backend v2b = Backend.start("v2-b", "v2")) {
            backends.put(v2b.name(), v2b);
            out.printf("   A fourth backend starts: %s, version %s, at %s. It is not in %s: it registers itself,%n",
                    v2b.name(), v2b.version(), v2b.address(), CONFIG_FILE);
            out.printf("   through a WeftRuntime of service '%s' with %s's token:%n", MESH_SERVICE, MESH_SERVICE);
            out.printf("     .controlPlane(\"%s\", shopToken).service(\"%s\")%n", cp.uri(), MESH_SERVICE);
            out.printf("     .register(\"127.0.0.1\", %d, Map.of(\"version\", \"v2\"))%n", v2b.port());
            out.flush();

            long startedAt = System.nanoTime();
            WeftRuntime instance = WeftRuntime.builder()
                    .controlPlane(cp.uri().toString(), shopToken)
                    .service(MESH_SERVICE)
                    .cacheDir(cacheDir)
                    .register("127.0.0.1", v2b.port(), Map.of("version", "v2"))
                    .build();
            Registration.Builder reg = new Registration.Builder();
            reg.backend = v2b.name();
            reg.address = v2b.address();
            boolean closed = false;
            try {
                long visible = await(REGISTRATION_MAX_MILLIS,
                        () -> instance.instanceId() != null && hasEndpoint(runtime, v2b));
                out.flush();
                if (visible < 0) {
                    unexpected.add("registration: " + REGISTRATION_MAX_MILLIS + " ms after " + v2b.name()
                            + " started, the app's config did not list it (instance id " + instance.instanceId() + ")");
                    return;
                }
                reg.instanceId = instance.instanceId();
                reg.millisToVisible = millisSince(startedAt);
                reg.versionWithIt = runtime.configStatus().version();
                versions.add(reg.versionWithIt + "  " + v2b.name() + " registered itself");
                out.printf("   It registered as instance %s.%n", reg.instanceId);
                out.printf("   The app's config listed it %.2f s after the backend's runtime started (version %d).%n",
                        reg.millisToVisible / 1000.0, reg.versionWithIt);

                reg.whileRegistered = checkoutCalls(
                        "(v1 50 %, v2 50 %; the v2 share is now balanced over two instances)");
                int hits = reg.whileRegistered.get(v2b.name());
                int v2Share = hits + reg.whileRegistered.get("v2");
                if (hits == 0 || hits * 3 < v2Share) {
                    unexpected.add("registration: " + v2b.name() + " got " + hits + " of the " + v2Share
                            + " v2 calls; round-robin should give it about half");
                }

                out.printf("   %s's runtime is closed (as on shutdown): it deregisters.%n", v2b.name());
                out.flush();
                long closing = System.nanoTime();
                instance.close();
                closed = true;
                if (await(REGISTRATION_MAX_MILLIS, () -> !hasEndpoint(runtime, v2b)) < 0) {
                    unexpected.add("deregistration: " + REGISTRATION_MAX_MILLIS + " ms after " + v2b.name()
                            + "'s runtime closed, the app's config still listed it");
                    return;
                }
                reg.millisToGone = millisSince(closing);
                reg.versionWithout = runtime.configStatus().version();
                versions.add(reg.versionWithout + "  " + v2b.name() + " deregistered");
                out.flush();
                out.printf("   The app's config dropped it %.2f s later (version %d). %s keeps running, but:%n",
                        reg.millisToGone / 1000.0, reg.versionWithout, v2b.name());
                int before = v2b.requests();
                reg.afterDeregistration = checkoutCalls("");
                reg.hitsAfterDeregistration = v2b.requests() - before;
                out.printf("   %s received %d requests after it deregistered.%n", v2b.name(), reg.hitsAfterDeregistration);
                if (reg.hitsAfterDeregistration != 0) {
                    unexpected.add("deregistration: " + v2b.name() + " still received " + reg.hitsAfterDeregistration
                            + " requests after it deregistered");
                }
                if (reg.afterDeregistration.get("v2") == 0) {
                    unexpected.add("deregistration: v2 got no checkout calls after " + v2b.name() + " left");
                }
                result.registration = reg.build();
            } finally {
                if (!closed) {
                    instance.close();
                }
            }
        }
    }

    /** {@link #REGISTRATION_CALLS} calls to the checkout, printed per backend. */
    private Map<String, Integer> checkoutCalls(String note) {
        out.printf("   %d calls to http://shop/checkout%s%n", REGISTRATION_CALLS, note.isEmpty() ? "" : " " + note);
        Map<String, Integer> counts = zeroCounts();
        for (int i = 0; i < REGISTRATION_CALLS; i++) {
            count(counts, call(MeshRequest.get("http://shop/checkout").build()));
        }
        printCounts(counts, REGISTRATION_CALLS);
        return Result.Builder.ordered(counts);
    }

    /** Whether the app's current config lists the backend as an endpoint of shop. */
    private static boolean hasEndpoint(WeftRuntime runtime, Backend backend) {
        ServicePlan shop = runtime.engine().snapshot().service(MESH_SERVICE);
        return shop != null && shop.endpoints().stream()
                .anyMatch(e -> e.endpoint().address().equals(backend.address()));
    }

    /** Writes the file the way many editors and config tools do: a temp file, then a rename over the original. */
    private static void saveLikeAnEditor(Path file, String text) throws IOException {
        // Hidden, so that neither the control plane nor its re-scan reads the half-written temp file.
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Checks {@code condition} every 10 ms until it holds; the nanos it took, or -1 after {@code maxMillis}. */
    private static long await(long maxMillis, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(10);
        }
        return System.nanoTime() - start;
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    /**
     * Whether this JDK's WatchService finds changes by polling (as on macOS, every 10 s) rather than by the
     * operating system's file events (Linux's inotify, Windows), as far as the class of its implementation says.
     */
    static boolean watchServicePolls() {
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            return watcher.getClass().getSimpleName().contains("Polling");
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    /** A random bearer token, as {@code openssl rand -hex 32} would make. */
    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("quickstart: could not delete " + dir + ": " + e);
        }
    }

    /**
     * Whether the mesh has the backend ejected now. Read from the engine's state rather than with
     * {@code client.explain}, which is shown once above: explaining picks an endpoint, and with round-robin that
     * takes a turn of the rotation, so explaining after every call would skew which instance each call tries first.
     */
    private static boolean isEjected(WeftRuntime runtime, Backend backend) {
        ServicePlan shop = runtime.engine().snapshot().service("shop");
        for (EndpointState e : shop.endpoints()) {
            if (e.endpoint().address().equals(backend.address())) {
                return e.isEjected();
            }
        }
        return false;
    }

    /** One call as the app makes it; returns the name of the backend that answered, or null. */
    private String call(MeshRequest request) {
        totalCalls++;
        try {
            MeshResponse r = client.execute(request);
            if (r.status() != 200) {
                non200++;
                out.printf("     !! the app got %d for %s%s: %s%n", r.status(), request,
                        r.localReply() == null ? "" : " (mesh local reply: " + r.localReply() + ")", r.bodyAsString().trim());
                return null;
            }
            String backend = r.header(Backend.NAME_HEADER);
            // The mesh says which endpoint answered; it must be the backend that says it answered.
            Backend answered = backend == null ? null : backends.get(backend);
            if (answered == null || r.endpoint() == null || !r.endpoint().address().equals(answered.address())) {
                if (endpointMismatches++ == 0) {
                    unexpected.add("the response to " + request + " came from " + backend
                            + " but MeshResponse.endpoint() says " + r.endpoint());
                }
            }
            return backend;
        } catch (IOException e) {
            non200++;
            out.printf("     !! the app got an exception for %s: %s%n", request, e);
            return null;
        }
    }

    private Map<String, Integer> zeroCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        backends.keySet().forEach(name -> counts.put(name, 0));
        return counts;
    }

    private static void count(Map<String, Integer> counts, String backend) {
        if (backend != null) {
            counts.merge(backend, 1, Integer::sum);
        }
    }

    /** Prints the v1 / v2 shares of {@code calls}; returns v2's, in percent. */
    private double printSplit(Map<String, Integer> counts, int calls) {
        int v1 = counts.get("v1-a") + counts.get("v1-b");
        int v2 = counts.get("v2");
        out.printf("     v1  %5.1f%%  %s  (v1-a %d, v1-b %d)%n", 100.0 * v1 / calls, bar(v1, calls),
                counts.get("v1-a"), counts.get("v1-b"));
        out.printf("     v2  %5.1f%%  %s  (v2 %d)%n", 100.0 * v2 / calls, bar(v2, calls), v2);
        return 100.0 * v2 / calls;
    }

    private void printCounts(Map<String, Integer> counts, int total) {
        counts.forEach((name, n) -> out.printf("     %-5s %4d  %s%n", name, n, bar(n, total)));
    }

    private void printExplanation(Explanation explanation) {
        for (String line : explanation.toText().split("\n")) {
            String annotated = line;
            for (Backend b : backends.values()) {
                if (line.contains(b.address() + " ")) {
                    annotated = line + "   <- " + b.name();
                }
            }
            out.println("     " + annotated);
        }
    }

    private static String bar(int n, int total) {
        return "#".repeat((int) Math.round(40.0 * n / Math.max(1, total)));
    }

    private void title(String text) {
        out.println(text);
        out.println("=".repeat(text.length()));
    }

    private void section(String text) {
        out.println();
        out.println(text);
        out.flush();
    }

    /**
     * What the demo observed.
     *
     * @param controlPlane           the embedded control plane's base URL
     * @param firstVersion           the snapshot version the app applied first
     * @param firstConfigSource      where that came from: {@code control-plane}
     * @param loadBalancing          backend name → catalog calls it answered (step 1)
     * @param split                  backend name → checkout calls it answered (step 2)
     * @param canaryPercent          the share of checkout calls answered by v2, in percent
     * @param callsUntilEjected      calls made until the failing backend was ejected, -1 if it never was
     * @param explanation            {@code client.explain(...)} text while the backend was ejected, or null
     * @param explainNamedEjected    whether that explanation listed the failing backend's address as ejected
     * @param failingHitsWhileEjected requests the failing backend received while ejected
     * @param liveChange             step 4's valid edit, or null if the step did not get that far
     * @param rejection              step 4's invalid edit, or null if the step did not get that far
     * @param registration           step 5, or null if it did not get that far
     * @param lastVersion            the snapshot version the app had at the end
     * @param non200                 calls the app saw end in something other than a 200 (status or exception)
     * @param retries                attempts the mesh retried on the app's behalf
     * @param failures               the demo's checks that did not hold; empty when it passed
     */
    public record Result(String controlPlane,
                         long firstVersion,
                         String firstConfigSource,
                         Map<String, Integer> loadBalancing,
                         Map<String, Integer> split,
                         double canaryPercent,
                         int headerCalls,
                         int headerToCanary,
                         String failingBackend,
                         String failingAddress,
                         int callsUntilEjected,
                         String explanation,
                         boolean explainNamedEjected,
                         int failingHitsWhileEjected,
                         boolean returnedToRotation,
                         int failingHitsAfterReturn,
                         LiveChange liveChange,
                         Rejection rejection,
                         Registration registration,
                         SecurityStep.Outcome security,
                         long lastVersion,
                         int totalCalls,
                         int non200,
                         int retries,
                         int errorsServedByFailingBackend,
                         List<String> failures) {

        public boolean passed() {
            return failures.isEmpty();
        }

        static final class Builder {
            String controlPlane;
            long firstVersion;
            String firstConfigSource;
            Map<String, Integer> loadBalancing = Map.of();
            Map<String, Integer> split = Map.of();
            double canaryPercent;
            int headerCalls;
            int headerToCanary;
            String failingBackend;
            String failingAddress;
            int callsUntilEjected = -1;
            String explanation;
            boolean explainNamedEjected;
            int failingHitsWhileEjected;
            boolean returnedToRotation;
            int failingHitsAfterReturn;
            LiveChange liveChange;
            Rejection rejection;
            Registration registration;
            SecurityStep.Outcome security;
            long lastVersion;
            int totalCalls;
            int non200;
            int retries;
            int errorsServedByFailingBackend;
            List<String> failures = List.of();

            Result build() {
                return new Result(controlPlane, firstVersion, firstConfigSource, ordered(loadBalancing), ordered(split),
                        canaryPercent, headerCalls, headerToCanary, failingBackend, failingAddress, callsUntilEjected,
                        explanation, explainNamedEjected, failingHitsWhileEjected, returnedToRotation,
                        failingHitsAfterReturn, liveChange, rejection, registration, security, lastVersion, totalCalls, non200,
                        retries, errorsServedByFailingBackend, failures);
            }

            static Map<String, Integer> ordered(Map<String, Integer> counts) {
                return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
            }
        }
    }

    /**
     * Step 4: the config file edited while the app runs.
     *
     * @param versionBefore      the app's snapshot version before the edit
     * @param versionAfter       its version once its calls followed the edit
     * @param millisToFollow     from saving the file to the first catalog call answered by v2
     * @param callsUntilFollowed catalog calls made until then, that one included
     * @param catalogToV2After   of the {@link #CATALOG_CALLS_AFTER_CHANGE} catalog calls after, those answered by v2
     * @param split              backend name → checkout calls it answered after the edit
     * @param canaryPercent      the share of those answered by v2, in percent
     */
    public record LiveChange(long versionBefore, long versionAfter, long millisToFollow, int callsUntilFollowed,
                             int catalogToV2After, Map<String, Integer> split, double canaryPercent) {
    }

    /**
     * Step 4: the invalid edit.
     *
     * @param errors               the control plane's {@code lastRejected} errors, as {@code file:line: field: message}
     * @param goodVersion          the version in force when the invalid edit was saved
     * @param appVersionAfter      the app's version after the rejection and its calls
     * @param calls                calls made while the invalid file was on disk
     * @param ok                   of those, the ones that got 200
     * @param clearedWhenFixed     whether {@code lastRejected} cleared once the good file was put back
     * @param versionAfterFix      the control plane's version after that
     */
    public record Rejection(List<String> errors, long goodVersion, long appVersionAfter, int calls, int ok,
                            boolean clearedWhenFixed, long versionAfterFix) {
    }

    /**
     * Step 5: a backend registering itself and deregistering.
     *
     * @param backend                 its name ({@code v2-b})
     * @param address                 its {@code 127.0.0.1:port}
     * @param instanceId              the id the control plane gave it
     * @param millisToVisible         from building its runtime to the app's config listing it
     * @param versionWithIt           the app's version then
     * @param whileRegistered         backend name → checkout calls it answered while registered
     * @param millisToGone            from closing its runtime to the app's config no longer listing it
     * @param versionWithout          the app's version then
     * @param afterDeregistration     backend name → checkout calls it answered after that
     * @param hitsAfterDeregistration requests the backend received after that (it keeps running)
     */
    public record Registration(String backend, String address, String instanceId, long millisToVisible,
                               long versionWithIt, Map<String, Integer> whileRegistered, long millisToGone,
                               long versionWithout, Map<String, Integer> afterDeregistration,
                               int hitsAfterDeregistration) {

        static final class Builder {
            String backend;
            String address;
            String instanceId;
            long millisToVisible = -1;
            long versionWithIt;
            Map<String, Integer> whileRegistered = Map.of();
            long millisToGone = -1;
            long versionWithout;
            Map<String, Integer> afterDeregistration = Map.of();
            int hitsAfterDeregistration;

            Registration build() {
                return new Registration(backend, address, instanceId, millisToVisible, versionWithIt, whileRegistered,
                        millisToGone, versionWithout, afterDeregistration, hitsAfterDeregistration);
            }
        }
    }
}
