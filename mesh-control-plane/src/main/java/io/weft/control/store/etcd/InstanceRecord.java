package io.weft.control.store.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.etcd.jetcd.ByteSequence;
import io.weft.control.registry.RegisteredInstance;
import io.weft.runtime.config.ConfigMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A registered instance as stored in etcd. The lease is stored with it so that any replica can renew it: a
 * heartbeat may reach any replica.
 */
record InstanceRecord(String id, String service, String host, int port, Map<String, String> labels,
                      String registeredAt, long lease) {

    InstanceRecord {
        labels = new TreeMap<>(labels);
    }

    static InstanceRecord of(RegisteredInstance instance, long lease) {
        return new InstanceRecord(instance.id(), instance.service(), instance.host(), instance.port(),
                instance.labels(), instance.registeredAt().toString(), lease);
    }

    /** @param lastHeartbeat as this replica knows it; etcd keeps no time of renewal */
    RegisteredInstance toInstance(Instant lastHeartbeat) {
        Instant registered = Instant.parse(registeredAt);
        // Expiry is etcd's business (the lease), so the in-memory deadline is never used.
        return new RegisteredInstance(id, service, host, port, labels, registered,
                lastHeartbeat == null || lastHeartbeat.isBefore(registered) ? registered : lastHeartbeat,
                Long.MAX_VALUE);
    }

    ByteSequence toBytes() {
        try {
            return ByteSequence.from(ConfigMapper.json().writeValueAsBytes(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize instance " + id, e);
        }
    }

    static InstanceRecord fromBytes(ByteSequence bytes) throws IOException {
        return ConfigMapper.json().readValue(bytes.getBytes(), InstanceRecord.class);
    }
}
