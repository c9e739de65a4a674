package io.weft.runtime.reliability;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What the backends executed, from their receipts (those with a request id): which ids ran more than once, and where. */
final class Executions {

    private final Map<String, List<ControlledBackend.Receipt>> byId;

    Executions(List<ControlledBackend> backends) {
        this.byId = backends.stream().flatMap(b -> b.receipts().stream()).filter(r -> r.id() != null)
                .collect(Collectors.groupingBy(ControlledBackend.Receipt::id));
    }

    /** Ids of requests of that method executed more than once, with how many times. */
    Map<String, Integer> executedMoreThanOnce(String method) {
        return byId.entrySet().stream()
                .filter(e -> e.getValue().size() > 1 && e.getValue().get(0).method().equals(method))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
    }

    /** Every execution of one request id. */
    List<ControlledBackend.Receipt> receipts(String id) {
        return byId.getOrDefault(id, List.of());
    }

    /** Of the given ids, those some backend executed. */
    Set<String> executed(Collection<String> ids) {
        return ids.stream().filter(byId::containsKey).collect(Collectors.toSet());
    }
}
