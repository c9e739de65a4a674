package io.weft.agent.it.support;

import io.weft.control.ControlPlane;
import io.weft.control.RunningControlPlane;
import io.weft.runtime.support.Backends;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The world a test app meets, all on 127.0.0.1 and shared by the tests of a class: three named backends
 * ({@code b0}, {@code b1}, {@code b2}) that record every request, a mesh config directory and a real control
 * plane serving it.
 *
 * <ul>
 *   <li>{@code orders}: the three backends, round robin.</li>
 *   <li>{@code payments}: subsets v1 (b0, b1) and v2 (b2), one route sending 80% to v1 and 20% to v2.</li>
 * </ul>
 * A backend answers its name, or {@code {"backend":"<name>"}} for a path under {@code /json}.
 */
public final class ItMesh implements AutoCloseable {

    public static final String SERVICE = "frontend";
    public static final String TOKEN = "frontend-it-token";

    /** A request as a backend got it. */
    public record Seen(String backend, RecordedRequest request) {
    }

    private final Backends backends;
    private final Path configDir;
    private final RunningControlPlane controlPlane;
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();

    private ItMesh(Backends backends, Path configDir, RunningControlPlane controlPlane) {
        this.backends = backends;
        this.configDir = configDir;
        this.controlPlane = controlPlane;
    }

    public static ItMesh start(Path dir) throws IOException {
        Backends backends = Backends.start(3);
        ItMesh[] self = new ItMesh[1];
        for (Backends.Backend b : backends.all()) {
            b.respond(r -> {
                self[0].seen.add(new Seen(b.name(), r));
                String path = r.getPath() == null ? "" : r.getPath();
                return path.startsWith("/json")
                        ? new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                        .setBody("{\"backend\":\"" + b.name() + "\",\"path\":\"" + path + "\"}")
                        : b.ok();
            });
        }
        Path configDir = Files.createDirectories(dir.resolve("mesh"));
        Files.writeString(configDir.resolve("orders.yaml"), "service: orders\nendpoints:\n"
                + "  - { address: " + backends.get(0).address() + " }\n"
                + "  - { address: " + backends.get(1).address() + " }\n"
                + "  - { address: " + backends.get(2).address() + " }\n"
                + "policy: { loadBalancer: round-robin }\n");
        Files.writeString(configDir.resolve("payments.yaml"), "service: payments\nendpoints:\n"
                + "  - { address: " + backends.get(0).address() + ", labels: { version: v1 } }\n"
                + "  - { address: " + backends.get(1).address() + ", labels: { version: v1 } }\n"
                + "  - { address: " + backends.get(2).address() + ", labels: { version: v2 } }\n"
                + "subsets: { v1: { version: v1 }, v2: { version: v2 } }\n"
                + "routes: [ { name: canary, to: [ { subset: v1, weight: 80 }, { subset: v2, weight: 20 } ] } ]\n");
        RunningControlPlane cp;
        try {
            cp = ControlPlane.builder().configDir(configDir).host("127.0.0.1").port(0).workerThreads(1)
                    .tokens(Map.of(SERVICE, TOKEN)).build().start();
        } catch (RuntimeException e) {
            backends.close();
            throw e;
        }
        self[0] = new ItMesh(backends, configDir, cp);
        return self[0];
    }

    public Backends backends() {
        return backends;
    }

    public Backends.Backend backend(int i) {
        return backends.get(i);
    }

    /** The mesh config directory, for {@code config=}. */
    public Path configDir() {
        return configDir;
    }

    public String controlPlaneUrl() {
        return controlPlane.uri().toString();
    }

    /** Agent arguments that take config from the control plane as {@code frontend}, caching under {@code cacheDir}. */
    public String controlPlaneArgs(Path cacheDir) {
        // The first meshed call waits for the runtime and its first config; on a loaded machine that takes seconds
        // more than the default 5 s allows, and the call would (rightly) go out unmeshed.
        return "service=" + SERVICE + ",controlPlane=" + controlPlaneUrl() + ",token=" + TOKEN + ",cacheDir=" + cacheDir
                + ",awaitConfig=30s";
    }

    /** Every request the backends got since the last {@link #clearSeen()}. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public void clearSeen() {
        seen.clear();
        backends.resetCounts();
    }

    /** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            controlPlane.close();
        } finally {
            backends.close();
        }
    }
}
