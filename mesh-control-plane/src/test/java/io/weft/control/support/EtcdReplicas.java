package io.weft.control.support;

import io.weft.control.ControlPlane;
import io.weft.control.store.etcd.EtcdSettings;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Control-plane replicas on one etcd, as {@link TestControlPlane}s: tokens for orders and frontend, an admin token,
 * and a key prefix of their own, so that tests sharing an etcd do not see each other's keys.
 */
public final class EtcdReplicas implements AutoCloseable {

    public static final String ADMIN_TOKEN = "admin-secret-token";

    private final EtcdSettings settings;
    private final Consumer<ControlPlane.Builder> customize;
    private final List<TestControlPlane> replicas = new ArrayList<>();

    private EtcdReplicas(EtcdServer etcd, Consumer<ControlPlane.Builder> customize) {
        this.settings = EtcdSettings.of(etcd.clientUrl().toString())
                .withPrefix("/weft-test/" + UUID.randomUUID() + "/");
        this.customize = customize;
    }

    public static EtcdReplicas start(EtcdServer etcd, int count) {
        return start(etcd, count, b -> {
        });
    }

    public static EtcdReplicas start(EtcdServer etcd, int count, Consumer<ControlPlane.Builder> customize) {
        EtcdReplicas replicas = new EtcdReplicas(etcd, customize);
        try {
            for (int i = 0; i < count; i++) {
                replicas.startAnother();
            }
        } catch (RuntimeException e) {
            replicas.close();
            throw e;
        }
        return replicas;
    }

    /** One more replica on the same etcd and prefix. */
    public TestControlPlane startAnother() {
        TestControlPlane replica = TestControlPlane.start(builder());
        replicas.add(replica);
        return replica;
    }

    /** A builder for a replica like the others, to start with changes. */
    public ControlPlane.Builder builder() {
        ControlPlane.Builder builder = TestControlPlane.builder().etcd(settings).adminToken(ADMIN_TOKEN);
        customize.accept(builder);
        return builder;
    }

    public TestControlPlane get(int i) {
        return replicas.get(i);
    }

    public EtcdSettings settings() {
        return settings;
    }

    /** Every replica's URL, separated by commas, as a runtime is given them. */
    public String urls() {
        return replicas.stream().map(r -> r.running().uri().toString()).collect(Collectors.joining(","));
    }

    /** {@code PUT /v1/config/<service>} at replica {@code i} with the admin token. */
    public HttpResponse<String> putConfig(int i, String service, String yaml, String ifMatch) {
        return putConfig(get(i), service, yaml, ifMatch);
    }

    public static HttpResponse<String> putConfig(TestControlPlane replica, String service, String yaml,
                                                 String ifMatch) {
        HttpRequest.Builder request = replica.request("/v1/config/" + service, ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return replica.send(request.build());
    }

    /** Writes {@code service}'s config at replica {@code i}, whatever its revision; fails unless it is written. */
    public long apply(int i, String service, String yaml) {
        HttpResponse<String> current = get(i).get("/v1/config/" + service, ADMIN_TOKEN);
        String revision = current.headers().firstValue("X-Weft-Revision").orElse("0");
        HttpResponse<String> written = putConfig(i, service, yaml, revision);
        if (written.statusCode() != 200) {
            throw new AssertionError("apply " + service + ": " + written.statusCode() + " " + written.body());
        }
        return TestControlPlane.json(written.body()).get("version").asLong();
    }

    @Override
    public void close() {
        for (TestControlPlane replica : replicas) {
            replica.close();
        }
    }
}
