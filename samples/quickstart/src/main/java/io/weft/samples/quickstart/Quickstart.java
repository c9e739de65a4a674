package io.weft.samples.quickstart;

import io.weft.api.Explanation;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.engine.CallListener;
import io.weft.runtime.engine.CallRecord;
import io.weft.runtime.engine.EndpointState;
import io.weft.runtime.engine.ServicePlan;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weft's quickstart: three local backends ({@code v1-a}, {@code v1-b} on version v1, {@code v2} on version v2),
 * one mesh service {@code shop} over them, and an app calling {@code http://shop/...} through a {@link MeshClient}.
 * It shows, in order: load balancing, a canary split and a header route, a failing backend retried around,
 * ejected and brought back, and the app seeing only 200s throughout.
 *
 * <p>{@link #main} runs it and exits 0 when every check of the demo held, 1 when one did not.
 * {@link #run(PrintStream)} runs the same scenario and returns what happened, for tests.
 */
public final class Quickstart {

    /** The embedded config template (a class-path resource of this jar). */
    public static final String CONFIG_RESOURCE = "mesh/quickstart.yaml";

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

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private PrintStream out;
    private MeshClient client;
    private Map<String, Backend> backends;
    private int totalCalls;
    private int non200;
    private int endpointMismatches;
    private final List<String> unexpected = new ArrayList<>();

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
        String template;
        try (InputStream in = Quickstart.class.getClassLoader().getResourceAsStream(CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CONFIG_RESOURCE + " is not on the class path");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** Runs the whole demo, printing to {@code out}; returns what was observed, with any failed check listed. */
    public Result run(PrintStream out) throws IOException, InterruptedException {
        this.out = out;
        long started = System.nanoTime();
        Result.Builder result = new Result.Builder();
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
            MeshConfig config = new ConfigLoader().parse(CONFIG_RESOURCE, renderConfig(addresses));
            out.println("Loaded " + CONFIG_RESOURCE + " (embedded; backend ports filled in, validated by ConfigLoader):");
            out.println("  service 'shop', subsets v1 and v2, routes canary-header, catalog, canary-split,");
            out.println("  round-robin, retries on 503, outlier detection after 3 errors (3 s ejection)");

            AtomicInteger retries = new AtomicInteger();
            AtomicInteger lastAttempts = new AtomicInteger();
            CallListener listener = (CallRecord call) -> {
                lastAttempts.set(call.attempts());
                if (call.attempts() > 1) {
                    retries.addAndGet(call.attempts() - 1);
                }
            };
            try (WeftRuntime runtime = WeftRuntime.builder().config(config).listener(listener).build();
                 MeshClient meshClient = runtime.client()) {
                this.client = meshClient;
                loadBalancing(result);
                canary(result);
                failingBackend(result, runtime, v1b, lastAttempts);
            }

            section("4. What the app saw");
            out.printf("   %d calls to http://shop/..., %d non-200 responses.%n", totalCalls, non200);
            out.printf("   The mesh retried %d attempts behind the app's back; %s answered %d x 503 that the app never saw.%n",
                    retries.get(), v1b.name(), v1b.errorsServed());
            result.totalCalls = totalCalls;
            result.non200 = non200;
            result.retries = retries.get();
            result.errorsServedByFailingBackend = v1b.errorsServed();
            if (non200 != 0) {
                unexpected.add(non200 + " calls reached the app with a status other than 200");
            }
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
        double v2Percent = 100.0 * v2 / SPLIT_CALLS;
        out.printf("     v1  %5.1f%%  %s  (v1-a %d, v1-b %d)%n", 100.0 * v1 / SPLIT_CALLS, bar(v1, SPLIT_CALLS),
                counts.get("v1-a"), counts.get("v1-b"));
        out.printf("     v2  %5.1f%%  %s  (v2 %d)%n", v2Percent, bar(v2, SPLIT_CALLS), v2);
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
     * @param loadBalancing          backend name → catalog calls it answered (phase 1)
     * @param split                  backend name → checkout calls it answered (phase 2)
     * @param canaryPercent          the share of checkout calls answered by v2, in percent
     * @param callsUntilEjected      calls made until the failing backend was ejected, -1 if it never was
     * @param explanation            {@code client.explain(...)} text while the backend was ejected, or null
     * @param explainNamedEjected    whether that explanation listed the failing backend's address as ejected
     * @param failingHitsWhileEjected requests the failing backend received while ejected
     * @param non200                 calls the app saw end in something other than a 200 (status or exception)
     * @param retries                attempts the mesh retried on the app's behalf
     * @param failures               the demo's checks that did not hold; empty when it passed
     */
    public record Result(Map<String, Integer> loadBalancing,
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
                         int totalCalls,
                         int non200,
                         int retries,
                         int errorsServedByFailingBackend,
                         List<String> failures) {

        public boolean passed() {
            return failures.isEmpty();
        }

        static final class Builder {
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
            int totalCalls;
            int non200;
            int retries;
            int errorsServedByFailingBackend;
            List<String> failures = List.of();

            Result build() {
                return new Result(ordered(loadBalancing), ordered(split), canaryPercent, headerCalls, headerToCanary,
                        failingBackend, failingAddress, callsUntilEjected, explanation, explainNamedEjected,
                        failingHitsWhileEjected, returnedToRotation, failingHitsAfterReturn, totalCalls, non200, retries,
                        errorsServedByFailingBackend, failures);
            }

            private static Map<String, Integer> ordered(Map<String, Integer> counts) {
                return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
            }
        }
    }
}
