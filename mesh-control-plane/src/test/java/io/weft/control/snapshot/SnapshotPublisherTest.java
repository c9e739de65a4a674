package io.weft.control.snapshot;

import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.config.EndpointConfig;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.control.SnapshotMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotPublisherTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicReference<List<ServiceConfig>> services = new AtomicReference<>(List.of(service("10.0.0.1:80")));
    private final SnapshotPublisher publisher = new SnapshotPublisher(services::get, clock::get);

    @Test
    void theFirstVersionIsTheClock() {
        assertThat(publisher.republish().version()).isEqualTo(1_000_000);
    }

    @Test
    void theSameContentKeepsItsVersion() {
        PublishedSnapshot first = publisher.republish();
        clock.addAndGet(5000);
        services.set(List.of(service("10.0.0.1:80")));

        assertThat(publisher.republish()).isSameAs(first);
    }

    @Test
    void aNewVersionIsTheClockOrOneMoreWhicheverIsLarger() {
        publisher.republish();
        services.set(List.of(service("10.0.0.2:80")));
        assertThat(publisher.republish().version()).isEqualTo(1_000_001);   // clock has not moved

        clock.set(2_000_000);
        services.set(List.of(service("10.0.0.3:80")));
        assertThat(publisher.republish().version()).isEqualTo(2_000_000);

        clock.set(10);                                                       // the clock went back
        services.set(List.of(service("10.0.0.4:80")));
        assertThat(publisher.republish().version()).isEqualTo(2_000_001);
    }

    @Test
    void listenersHearEachNewVersionOnce() {
        List<Long> heard = new ArrayList<>();
        publisher.onPublish(s -> heard.add(s.version()));

        publisher.republish();
        publisher.republish();
        services.set(List.of(service("10.0.0.2:80")));
        publisher.republish();

        assertThat(heard).containsExactly(1_000_000L, 1_000_001L);
    }

    @Test
    void theBodyIsTheSnapshotMessageAndTheHashIgnoresMapOrder() throws Exception {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        String hashAb = SnapshotSerializer.hash(List.of(new ServiceConfig("s", List.of(new EndpointConfig("h:1", ab, 1)), null, null, null)));
        String hashBa = SnapshotSerializer.hash(List.of(new ServiceConfig("s", List.of(new EndpointConfig("h:1", ba, 1)), null, null, null)));
        assertThat(hashAb).isEqualTo(hashBa);

        PublishedSnapshot published = publisher.republish();
        SnapshotMessage message = ConfigMapper.json().readValue(published.body(), SnapshotMessage.class);
        assertThat(message.version()).isEqualTo(published.version());
        assertThat(message.hash()).isEqualTo(published.hash()).hasSize(64);
        assertThat(message.generatedAt()).isEqualTo("1970-01-01T00:16:40Z");
        assertThat(message.services()).isEqualTo(services.get());
        assertThat(published.etag()).isEqualTo('"' + published.hash() + '"');
    }

    private static ServiceConfig service(String address) {
        return new ServiceConfig("orders", List.of(new EndpointConfig(address, Map.of("zone", "a", "version", "v1"), 1)),
                null, null, null);
    }
}
