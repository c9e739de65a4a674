package io.weft.control.registry;

import io.weft.runtime.config.DurationFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The instances services registered themselves, each alive for one TTL after its last heartbeat.
 *
 * <p>Registering the same service, host and port again replaces that entry's labels and renews it under the
 * <em>same id</em>: a client that retries a registration whose answer it lost does not leave a twin behind.
 *
 * <p>Writes are synchronized (they are rare); reads are lock-free, so building a snapshot never waits on them.
 * Listeners hear of every change that alters the set of instances or their labels, outside the lock.
 */
public final class InstanceRegistry implements ServiceRegistry {

    private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);

    private final Duration ttl;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<String, RegisteredInstance> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByEndpoint = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public InstanceRegistry(Duration ttl, Clock clock, LongSupplier nanoTime) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("instance TTL must be positive, not " + ttl);
        }
        this.ttl = ttl;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    public InstanceRegistry(Duration ttl) {
        this(ttl, Clock.systemUTC(), System::nanoTime);
    }

    @Override
    public Duration ttl() {
        return ttl;
    }

    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Registers or re-registers (same id) an instance; the request must have passed {@link RegistrationValidator}. */
    @Override
    public RegisteredInstance register(String service, String host, int port, Map<String, String> labels) {
        RegisteredInstance instance;
        boolean changed;
        synchronized (this) {
            String id = idByEndpoint.computeIfAbsent(endpointKey(service, host, port), k -> UUID.randomUUID().toString());
            RegisteredInstance previous = byId.get(id);
            Instant now = clock.instant();
            instance = new RegisteredInstance(id, service, host, port, labels, now, now, expiry());
            byId.put(id, instance);
            changed = previous == null || !previous.labels().equals(instance.labels());
        }
        log.info("Registered {} {} as {}", service, instance.endpoint(), instance.id());
        if (changed) {
            fireChange();
        }
        return instance;
    }

    /** Renews an instance; false if it is unknown or already expired (then the caller registers again). */
    @Override
    public boolean heartbeat(String id) {
        boolean expired = false;
        synchronized (this) {
            RegisteredInstance instance = byId.get(id);
            if (instance == null) {
                return false;
            }
            if (instance.expiredAt(nanoTime.getAsLong())) {
                remove(instance);
                expired = true;
            } else {
                byId.put(id, instance.renewed(clock.instant(), expiry()));
            }
        }
        if (expired) {
            fireChange();
        }
        return !expired;
    }

    @Override
    public Optional<RegisteredInstance> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Removes an instance; false if it was not registered. */
    @Override
    public boolean deregister(String id) {
        RegisteredInstance removed;
        synchronized (this) {
            removed = byId.get(id);
            if (removed != null) {
                remove(removed);
            }
        }
        if (removed == null) {
            return false;
        }
        log.info("Deregistered {} {} ({})", removed.service(), removed.endpoint(), id);
        fireChange();
        return true;
    }

    /** Removes every instance whose TTL ran out; run periodically. */
    public void sweep() {
        List<RegisteredInstance> expired = new ArrayList<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            for (RegisteredInstance instance : byId.values()) {
                if (instance.expiredAt(now)) {
                    remove(instance);
                    expired.add(instance);
                }
            }
        }
        if (!expired.isEmpty()) {
            expired.forEach(i -> log.info("Expired {} {} ({}): no heartbeat for {}", i.service(), i.endpoint(), i.id(), DurationFormat.format(ttl)));
            fireChange();
        }
    }

    @Override
    public List<RegisteredInstance> instances() {
        return List.copyOf(byId.values());
    }

    @Override
    public List<RegisteredInstance> instances(String service) {
        return byId.values().stream()
                .filter(i -> i.service().equals(service))
                .sorted(Comparator.comparing(RegisteredInstance::endpoint))
                .toList();
    }

    @Override
    public int size() {
        return byId.size();
    }

    private void remove(RegisteredInstance instance) {
        byId.remove(instance.id());
        idByEndpoint.remove(endpointKey(instance.service(), instance.host(), instance.port()), instance.id());
    }

    private static String endpointKey(String service, String host, int port) {
        return service + '|' + host + '|' + port;
    }

    private long expiry() {
        return nanoTime.getAsLong() + ttl.toNanos();
    }

    private void fireChange() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }
}
