package io.weft.runtime.reliability;

import io.weft.api.Endpoint;
import io.weft.runtime.engine.AttemptTracer;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.MeshEvents;
import io.weft.runtime.resilience.Outcome;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What an engine did to its endpoints, seen through its own hooks: every attempt (endpoint port, start, whether it
 * failed) via the attempt tracer, and every ejection and return via its events. For adapters whose attempts a test
 * cannot intercept (the sidecar's, grpc-java's) and for a dead endpoint, which can record nothing itself.
 */
final class EngineActivity {

    /** One attempt; {@code nanos} is {@link System#nanoTime()} at its start. */
    record Attempt(int port, long nanos, boolean failed) {
    }

    /** An ejection ({@code forMillis} out of rotation) or, with {@code forMillis} -1, a return. */
    record Ejection(int port, long nanos, long forMillis) {
        boolean returned() {
            return forMillis < 0;
        }
    }

    private final Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final Queue<Ejection> ejections = new ConcurrentLinkedQueue<>();

    /** Starts watching {@code engine}; its attempt tracer is replaced (tests run without tracing). */
    static EngineActivity watch(MeshEngine engine) {
        EngineActivity activity = new EngineActivity();
        engine.tracer(activity.tracer());
        engine.addEvents(new MeshEvents() {
            @Override
            public void ejected(String service, Endpoint endpoint, long forMillis) {
                activity.ejections.add(new Ejection(endpoint.port(), System.nanoTime(), forMillis));
            }

            @Override
            public void returned(String service, Endpoint endpoint) {
                activity.ejections.add(new Ejection(endpoint.port(), System.nanoTime(), -1));
            }
        });
        return activity;
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    List<Ejection> ejections() {
        return List.copyOf(ejections);
    }

    private AttemptTracer tracer() {
        return new AttemptTracer() {
            @Override
            public Object captureParent() {
                return null;
            }

            @Override
            public AttemptSpan start(Object parent, String service, String route, String subset, String method,
                                     String path, Endpoint endpoint, int number) {
                long started = System.nanoTime();
                return new AttemptSpan() {
                    @Override
                    public Map<String, String> headers() {
                        return Map.of();
                    }

                    @Override
                    public void end(Outcome outcome) {
                        attempts.add(new Attempt(endpoint.port(), started, outcome.isEndpointFailure()));
                    }
                };
            }
        };
    }
}
