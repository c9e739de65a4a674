package io.weft.samples.grpc;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.adapter.grpc.MeshGrpc;
import io.weft.runtime.config.ConfigLoader;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC sample: three {@code sample.Greeter} instances (v1-a, v1-b, v2) and a client whose channel is
 * {@code MeshGrpc.channel(engine, "greeter")}. Four steps, each checked: calls spread over v1 with a 10 %
 * canary to v2; metadata {@code x-canary: true} routes to v2; a server stream goes through untouched; v1-a
 * starts failing with UNAVAILABLE and every call still succeeds (retried on another instance, then v1-a is
 * ejected).
 */
public final class GrpcSample {

    static final String MESH = """
            service: greeter
            endpoints:
              - { address: %s, labels: { version: v1 } }
              - { address: %s, labels: { version: v1 } }
              - { address: %s, labels: { version: v2 } }
            subsets: { v1: { version: v1 }, v2: { version: v2 } }
            policy:
              loadBalancer: round-robin
              outlierDetection: { consecutiveErrors: 3, baseEjectionTime: 30s, maxEjectionPercent: 50 }
            routes:
              - name: canary-users
                match: { headers: { x-canary: { exact: "true" } } }
                to: [ { subset: v2 } ]
              - name: hello
                match: { path: { prefix: /sample.Greeter/ } }
                to: [ { subset: v1, weight: 90 }, { subset: v2, weight: 10 } ]
                timeout: 5s
                retries: { attempts: 2, on: [ unavailable ] }
            """;

    /** What the run saw, for the test; {@code problems} lists every check that failed. */
    record Result(Map<String, Integer> split, Map<String, Integer> canary, List<String> stream,
                  Map<String, Integer> whileFailing, int failedCalls, List<String> problems) {
    }

    private GrpcSample() {
    }

    public static void main(String[] args) throws Exception {
        Result r = run(System.out);
        if (!r.problems().isEmpty()) {
            System.out.println("UNEXPECTED: " + r.problems());
            System.exit(1);
        }
        System.exit(0);
    }

    static Result run(PrintStream out) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Greeter a = Greeter.start("v1-a", "v1"); Greeter b = Greeter.start("v1-b", "v1");
             Greeter c = Greeter.start("v2", "v2");
             WeftRuntime runtime = WeftRuntime.builder()
                     .config(new ConfigLoader().parse("greeter.yaml", MESH.formatted(a.address(), b.address(), c.address())))
                     .build()) {
            ManagedChannel channel = MeshGrpc.channel(runtime.engine(), "greeter");
            try {
                out.println("Three greeter instances: v1-a " + a.address() + ", v1-b " + b.address() + ", v2 " + c.address());
                out.println("The client's channel: MeshGrpc.channel(engine, \"greeter\") (target weft:///greeter)");

                Map<String, Integer> split = hellos(channel, 200, null);
                out.println("1. 200 calls to /sample.Greeter/Hello (v1 90 %, v2 10 %): " + split);
                int v2 = split.getOrDefault("v2", 0);
                if (v2 < 5 || v2 > 40 || split.getOrDefault("v1-a", 0) < 50 || split.getOrDefault("v1-b", 0) < 50) {
                    problems.add("split: " + split);
                }

                Map<String, Integer> canary = hellos(channel, 20, "true");
                out.println("2. 20 calls with metadata x-canary: true (route canary-users to v2): " + canary);
                if (!canary.equals(Map.of("v2", 20))) {
                    problems.add("canary: " + canary);
                }

                List<String> stream = new ArrayList<>();
                Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, Greeter.COUNT,
                        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "three");
                it.forEachRemaining(stream::add);
                out.println("3. A server stream, Count: " + stream);
                if (stream.size() != 3) {
                    problems.add("stream: " + stream);
                }

                a.fail(true);
                int before = a.calls();
                Map<String, Integer> failing = new LinkedHashMap<>();
                int failed = 0;
                for (int i = 0; i < 60; i++) {
                    try {
                        failing.merge(hello(channel, "x", null), 1, Integer::sum);
                    } catch (StatusRuntimeException e) {
                        failed++;
                    }
                }
                out.println("4. v1-a now answers UNAVAILABLE. 60 calls: " + failing + ", failed: " + failed
                        + "; v1-a answered UNAVAILABLE " + (a.calls() - before) + " times (each retried elsewhere) and is "
                        + (ejected(runtime, a) ? "ejected" : "not ejected"));
                if (failed != 0 || failing.containsKey("v1-a") || !ejected(runtime, a)) {
                    problems.add("failing instance: " + failing + ", " + failed + " failed");
                }
                out.println(problems.isEmpty() ? "All checks passed." : "Problems: " + problems);
                return new Result(split, canary, stream, failing, failed, problems);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, Integer> hellos(ManagedChannel channel, int n, String canary) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(hello(channel, "weft", canary), 1, Integer::sum);
        }
        return counts;
    }

    /** One Hello call; the instance that answered. */
    private static String hello(ManagedChannel channel, String name, String canary) {
        io.grpc.Channel ch = channel;
        if (canary != null) {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("x-canary", Metadata.ASCII_STRING_MARSHALLER), canary);
            ch = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
        }
        String answer = ClientCalls.blockingUnaryCall(ch, Greeter.HELLO,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), name);
        return answer.substring(0, answer.indexOf(':'));
    }

    private static boolean ejected(WeftRuntime runtime, Greeter g) {
        return runtime.engine().snapshot().service("greeter").endpoints().stream()
                .anyMatch(e -> e.endpoint().address().equals(g.address()) && e.isEjected());
    }
}
