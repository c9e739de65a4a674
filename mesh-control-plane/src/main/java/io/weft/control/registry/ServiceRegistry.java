package io.weft.control.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The instances services registered themselves, each alive for one TTL after its last heartbeat: in this
 * process's memory ({@link InstanceRegistry}) or in a shared store. Writes of a shared store may fail with
 * {@link io.weft.control.store.StoreUnavailableException}.
 */
public interface ServiceRegistry {

    Duration ttl();

    /**
     * Registers or re-registers an instance; the same service, host and port again keeps its id and replaces its
     * labels. The request must have passed {@link RegistrationValidator}.
     */
    RegisteredInstance register(String service, String host, int port, Map<String, String> labels);

    /** Renews an instance; false if it is unknown or already expired (then the caller registers again). */
    boolean heartbeat(String id);

    /** Removes an instance; false if it was not registered. */
    boolean deregister(String id);

    Optional<RegisteredInstance> find(String id);

    List<RegisteredInstance> instances();

    /** The instances of one service, sorted by endpoint. */
    List<RegisteredInstance> instances(String service);

    int size();
}
