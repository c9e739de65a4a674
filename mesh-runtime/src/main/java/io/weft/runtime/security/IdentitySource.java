package io.weft.runtime.security;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the TLS managers get this workload's current identity from: {@link WorkloadCertificates} (renewed from
 * the control plane), or fixed material for tests and tools.
 */
public interface IdentitySource {

    /** The material in force now, or null while there is none yet (handshakes then fail: no fallback). */
    WorkloadMaterial current();

    /**
     * Calls {@code listener} with each new material after it is in force; it runs on the source's thread and must
     * not block. A source whose material never changes ignores this.
     */
    default void onRotation(Consumer<WorkloadMaterial> listener) {
    }

    /** A source that always answers {@code material}. */
    static IdentitySource of(WorkloadMaterial material) {
        Objects.requireNonNull(material);
        return () -> material;
    }
}
