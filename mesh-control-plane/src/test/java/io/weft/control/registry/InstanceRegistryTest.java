package io.weft.control.registry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceRegistryTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger changes = new AtomicInteger();
    private final InstanceRegistry registry = new InstanceRegistry(Duration.ofSeconds(10), Clock.systemUTC(), nanos::get);

    InstanceRegistryTest() {
        registry.onChange(changes::incrementAndGet);
    }

    @Test
    void expiresAnInstanceOneTtlAfterItsLastHeartbeat() {
        String id = registry.register("orders", "10.0.0.1", 80, Map.of()).id();
        nanos.addAndGet(Duration.ofSeconds(8).toNanos());
        assertThat(registry.heartbeat(id)).isTrue();

        nanos.addAndGet(Duration.ofSeconds(8).toNanos());
        registry.sweep();
        assertThat(registry.find(id)).isPresent();

        nanos.addAndGet(Duration.ofSeconds(3).toNanos());
        registry.sweep();
        assertThat(registry.find(id)).isEmpty();
        assertThat(changes).hasValue(2);   // registered, expired
    }

    @Test
    void aHeartbeatAfterTheTtlButBeforeTheSweepIsTooLate() {
        String id = registry.register("orders", "10.0.0.1", 80, Map.of()).id();
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());

        assertThat(registry.heartbeat(id)).isFalse();
        assertThat(registry.size()).isZero();
    }

    @Test
    void registeringTheSameEndpointAgainKeepsTheIdAndOnlyLabelChangesAreChanges() {
        String id = registry.register("orders", "10.0.0.1", 80, Map.of()).id();
        assertThat(registry.register("orders", "10.0.0.1", 80, Map.of()).id()).isEqualTo(id);
        assertThat(changes).hasValue(1);

        assertThat(registry.register("orders", "10.0.0.1", 80, Map.of("v", "2")).id()).isEqualTo(id);
        assertThat(changes).hasValue(2);
        assertThat(registry.register("orders", "10.0.0.1", 81, Map.of()).id()).isNotEqualTo(id);
        assertThat(registry.register("payments", "10.0.0.1", 80, Map.of()).id()).isNotEqualTo(id);
        assertThat(registry.size()).isEqualTo(3);
    }

    @Test
    void deregisteringFreesTheEndpointForANewId() {
        String id = registry.register("orders", "10.0.0.1", 80, Map.of()).id();
        assertThat(registry.deregister(id)).isTrue();
        assertThat(registry.deregister(id)).isFalse();

        assertThat(registry.register("orders", "10.0.0.1", 80, Map.of()).id()).isNotEqualTo(id);
    }
}
