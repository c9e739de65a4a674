package io.weft.runtime;

import io.weft.api.DiscoverySource;
import io.weft.api.Endpoint;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.ServiceName;
import io.weft.runtime.support.Backends;
import io.weft.runtime.support.Mesh;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Endpoints from a discovery source merge with the static ones and follow its updates. */
class DiscoveryTest {

    /** A registry in memory: what a control plane or DNS source would report. */
    static final class InMemoryRegistry implements DiscoverySource {
        final Map<String, Consumer<List<Endpoint>>> watchers = new ConcurrentHashMap<>();

        @Override
        public AutoCloseable watch(ServiceName service, Consumer<List<Endpoint>> listener) {
            watchers.put(service.value(), listener);
            return () -> watchers.remove(service.value());
        }

        void publish(String service, List<Endpoint> endpoints) {
            watchers.get(service).accept(endpoints);
        }
    }

    @Test
    void discoveredEndpointsJoinAndLeave() throws Exception {
        InMemoryRegistry registry = new InMemoryRegistry();
        try (Backends backends = Backends.start(3);
             WeftRuntime runtime = WeftRuntime.builder().discovery(registry)
                     .config(Mesh.yaml("service: orders\nendpoints: [ { address: " + backends.get(0).address()
                             + " } ]\npolicy: { loadBalancer: round-robin }\n"))
                     .build();
             MeshClient client = runtime.client()) {
            assertThat(registry.watchers).containsKey("orders");
            registry.publish("orders", List.of(Endpoint.of("127.0.0.1", backends.get(1).port(), Map.of("version", "v2")),
                    Endpoint.of("127.0.0.1", backends.get(2).port())));
            for (int i = 0; i < 30; i++) {
                assertThat(client.execute(MeshRequest.get("http://orders/").build()).status()).isEqualTo(200);
            }
            assertThat(backends.counts()).containsExactly(10, 10, 10);

            registry.publish("orders", List.of());
            backends.resetCounts();
            for (int i = 0; i < 10; i++) {
                client.execute(MeshRequest.get("http://orders/").build());
            }
            assertThat(backends.counts()).containsExactly(10, 0, 0);

            runtime.apply(Mesh.yaml("service: payments\n"));
            assertThat(registry.watchers).doesNotContainKey("orders").containsKey("payments");
        }
    }
}
