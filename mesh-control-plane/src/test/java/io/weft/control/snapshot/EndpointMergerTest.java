package io.weft.control.snapshot;

import io.weft.control.registry.RegisteredInstance;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.config.ServiceConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointMergerTest {

    private static final ServiceConfig ORDERS = new ServiceConfig("orders",
            List.of(new EndpointConfig("10.0.0.1:8080", Map.of("version", "v1"), 5)),
            Map.of("v1", Map.of("version", "v1")), null, null);

    @Test
    void appendsRegisteredEndpointsAfterStaticOnesAndKeepsTheRest() {
        List<ServiceConfig> merged = EndpointMerger.merge(new MeshConfig(List.of(ORDERS)), List.of(
                instance("orders", "10.0.0.3", 8080, Map.of("version", "v2")),
                instance("orders", "10.0.0.2", 8080, Map.of())));

        ServiceConfig orders = merged.get(0);
        assertThat(orders.endpoints()).containsExactly(
                new EndpointConfig("10.0.0.1:8080", Map.of("version", "v1"), 5),
                new EndpointConfig("10.0.0.2:8080", Map.of(), 1),
                new EndpointConfig("10.0.0.3:8080", Map.of("version", "v2"), 1));
        assertThat(orders.subsets()).isEqualTo(ORDERS.subsets());
        assertThat(orders.policy()).isEqualTo(ORDERS.policy());
    }

    @Test
    void aStaticEndpointWinsOverTheSameRegisteredAddress() {
        List<ServiceConfig> merged = EndpointMerger.merge(new MeshConfig(List.of(ORDERS)),
                List.of(instance("orders", "10.0.0.1", 8080, Map.of("version", "v9"))));

        assertThat(merged).containsExactly(ORDERS);
    }

    @Test
    void registeredOnlyServicesGetAMinimalConfigInNameOrder() {
        List<ServiceConfig> merged = EndpointMerger.merge(new MeshConfig(List.of(ORDERS)), List.of(
                instance("zeta", "::1", 9000, Map.of()),
                instance("alpha", "alpha.internal", 9000, Map.of())));

        assertThat(merged).extracting(ServiceConfig::service).containsExactly("alpha", "orders", "zeta");
        assertThat(merged.get(2)).isEqualTo(new ServiceConfig("zeta",
                List.of(new EndpointConfig("[::1]:9000", Map.of(), 1)), null, null, null));
    }

    private static RegisteredInstance instance(String service, String host, int port, Map<String, String> labels) {
        return new RegisteredInstance(service + "-" + host, service, host, port, labels, Instant.EPOCH, Instant.EPOCH, 0);
    }
}
