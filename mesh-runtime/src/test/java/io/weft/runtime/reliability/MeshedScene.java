package io.weft.runtime.reliability;

import io.weft.api.Endpoint;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.engine.MeshEvents;
import io.weft.runtime.support.Mesh;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The stage of a library-mode scenario: backends on 127.0.0.1, a runtime with the service {@code orders} over them,
 * and an app's OkHttp client put in the mesh with {@code runtime.okHttpInterceptor()}, with an {@link AttemptLog}
 * below it and the engine's ejections recorded. Public, with the other classes of this package, for the control
 * plane's reliability tests (through the runtime's test jar).
 */
public final class MeshedScene implements AutoCloseable {

    /** An ejection or return of an endpoint (by port), with when it happened. */
    public record Ejection(int port, long nanos, long forMillis) {
        public boolean returned() {
            return forMillis < 0;
        }
    }

    private final List<ControlledBackend> backends = new ArrayList<>();
    private final AttemptLog attempts = new AttemptLog();
    private final Queue<Ejection> ejections = new ConcurrentLinkedQueue<>();
    private WeftRuntime runtime;
    private OkHttpClient client;

    public static MeshedScene start(int backendCount) throws IOException {
        MeshedScene scene = new MeshedScene();
        for (int i = 0; i < backendCount; i++) {
            scene.backends.add(ControlledBackend.start("b" + i));
        }
        return scene;
    }

    /** Builds the runtime: {@code orders} with every backend as an endpoint, then {@code rest} (policy, routes). */
    public MeshedScene mesh(String rest) {
        StringBuilder yaml = new StringBuilder("service: orders\nendpoints:\n");
        backends.forEach(b -> yaml.append("  - { address: ").append(b.address()).append(" }\n"));
        yaml.append(rest);
        return mesh(WeftRuntime.builder().config(Mesh.yaml(yaml.toString())));
    }

    /** Builds the runtime from {@code builder} (config from a control plane, say). */
    public MeshedScene mesh(WeftRuntime.Builder builder) {
        runtime = builder.build();
        runtime.engine().addEvents(new MeshEvents() {
            @Override
            public void ejected(String service, Endpoint endpoint, long forMillis) {
                ejections.add(new Ejection(endpoint.port(), System.nanoTime(), forMillis));
            }

            @Override
            public void returned(String service, Endpoint endpoint) {
                ejections.add(new Ejection(endpoint.port(), System.nanoTime(), -1));
            }
        });
        // An app expecting ~1k calls a second in flight to one host raises OkHttp's per-host limit of 5.
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(2048);
        dispatcher.setMaxRequestsPerHost(2048);
        client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .addInterceptor(runtime.okHttpInterceptor())
                .addInterceptor(attempts)
                .build();
        return this;
    }

    /** The endpoints of {@code orders} as JSON, for a snapshot: {@code [{"address":"127.0.0.1:…"},…]}. */
    public String endpointsJson() {
        return backends.stream().map(b -> "{\"address\":\"" + b.address() + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    public List<ControlledBackend> backends() {
        return List.copyOf(backends);
    }

    public ControlledBackend backend(int i) {
        return backends.get(i);
    }

    public OkHttpClient client() {
        return client;
    }

    public WeftRuntime runtime() {
        return runtime;
    }

    public List<AttemptLog.Attempt> attempts() {
        return attempts.attempts();
    }

    public List<Ejection> ejections() {
        return List.copyOf(ejections);
    }

    @Override
    public void close() {
        if (client != null) {
            client.dispatcher().executorService().shutdownNow();
            client.connectionPool().evictAll();
        }
        if (runtime != null) {
            runtime.close();
        }
        backends.forEach(ControlledBackend::close);
    }
}
