package io.weft.control.store.etcd;

import io.weft.control.registry.RegisteredInstance;
import io.weft.control.registry.ServiceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service registry in etcd: one key per instance, attached to a lease of the instance TTL. A heartbeat renews
 * the lease, at whichever replica it arrives; an instance that stops heartbeating is deleted by etcd when its
 * lease runs out, and every replica's watch removes it.
 *
 * <p>An instance's id is derived from its service, host and port, so that registering again, at any replica, even
 * two at once, renews the one key instead of leaving a twin behind.
 */
final class EtcdRegistry implements ServiceRegistry {

    private static final Logger log = LoggerFactory.getLogger(EtcdRegistry.class);

    private final Etcd etcd;
    private final EtcdKeys keys;
    private final EtcdMirror mirror;
    private final Duration ttl;
    private final Duration timeout;
    private final Clock clock;
    /** When this replica last renewed each instance; etcd keeps no time of renewal. */
    private final Map<String, Instant> heartbeats = new ConcurrentHashMap<>();

    EtcdRegistry(Etcd etcd, EtcdKeys keys, EtcdMirror mirror, Duration ttl, Duration timeout, Clock clock) {
        this.etcd = etcd;
        this.keys = keys;
        this.mirror = mirror;
        // Leases have whole seconds.
        this.ttl = Duration.ofSeconds(Math.max(1, (ttl.toMillis() + 999) / 1000));
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Duration ttl() {
        return ttl;
    }

    @Override
    public RegisteredInstance register(String service, String host, int port, Map<String, String> labels) {
        etcd.checkWritable();
        String id = idOf(service, host, port);
        InstanceRecord existing = mirror.instance(id).orElse(null);
        boolean leaseAlive = existing != null && etcd.keepAlive(existing.lease());
        long lease = leaseAlive ? existing.lease() : etcd.grant(ttl.toSeconds());
        Instant now = clock.instant();
        InstanceRecord record = leaseAlive && existing.labels().equals(labels) ? existing
                : new InstanceRecord(id, service, host, port, labels, now.toString(), lease);
        if (record != existing) {
            awaitServed(etcd.put(keys.instance(id), record.toBytes(), lease).getHeader().getRevision());
        }
        // Forget instances that expired meanwhile; registrations are rare enough to pay for it.
        heartbeats.keySet().removeIf(known -> mirror.instance(known).isEmpty());
        heartbeats.put(id, now);
        log.info("Registered {} {}:{} as {}", service, host, port, id);
        return record.toInstance(now);
    }

    @Override
    public boolean heartbeat(String id) {
        InstanceRecord record = mirror.instance(id).orElse(null);
        if (record == null) {
            return false;
        }
        etcd.checkWritable();
        if (!etcd.keepAlive(record.lease())) {
            heartbeats.remove(id);
            return false;
        }
        heartbeats.put(id, clock.instant());
        return true;
    }

    @Override
    public boolean deregister(String id) {
        InstanceRecord record = mirror.instance(id).orElse(null);
        if (record == null) {
            return false;
        }
        etcd.checkWritable();
        var deleted = etcd.delete(keys.instance(id));
        etcd.revokeQuietly(record.lease());
        heartbeats.remove(id);
        if (deleted.getDeleted() == 0) {
            return false;
        }
        awaitServed(deleted.getHeader().getRevision());
        log.info("Deregistered {} {}:{} ({})", record.service(), record.host(), record.port(), id);
        return true;
    }

    @Override
    public Optional<RegisteredInstance> find(String id) {
        return mirror.instance(id).map(this::toInstance);
    }

    @Override
    public List<RegisteredInstance> instances() {
        return mirror.records(this::toInstance);
    }

    @Override
    public List<RegisteredInstance> instances(String service) {
        return instances().stream()
                .filter(i -> i.service().equals(service))
                .sorted(Comparator.comparing(RegisteredInstance::endpoint))
                .toList();
    }

    @Override
    public int size() {
        return mirror.instanceCount();
    }

    private RegisteredInstance toInstance(InstanceRecord record) {
        return record.toInstance(heartbeats.get(record.id()));
    }

    /** So that the registering client's next call, here, finds its instance. */
    private void awaitServed(long revision) {
        try {
            if (!mirror.awaitServed(revision, timeout)) {
                log.debug("revision {} written but not yet seen by this replica's watch", revision);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String idOf(String service, String host, int port) {
        return UUID.nameUUIDFromBytes((service + '|' + host + '|' + port).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
