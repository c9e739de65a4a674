package io.weft.control.registry;

import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of {@code GET /v1/instances}: the registration as sent, its id, when it was (last) registered and
 * when it was last renewed (by that registration or a heartbeat), ISO-8601.
 */
public record InstanceMessage(String id, String service, String address, int port, Map<String, String> labels,
                              String registeredAt, String lastHeartbeat) {

    public static InstanceMessage of(RegisteredInstance i) {
        return new InstanceMessage(i.id(), i.service(), i.host(), i.port(), new TreeMap<>(i.labels()),
                i.registeredAt().toString(), i.lastHeartbeat().toString());
    }
}
