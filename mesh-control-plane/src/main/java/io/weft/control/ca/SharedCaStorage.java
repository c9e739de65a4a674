package io.weft.control.ca;

import java.util.Optional;

/**
 * Where a CA's certificate and encrypted key are kept when several control-plane replicas share one CA: each
 * name ({@code root}, {@code intermediate}) holds one {@link StoredCa}, written atomically.
 */
public interface SharedCaStorage {

    Optional<StoredCa> read(String name);

    /**
     * Stores {@code next} under {@code name} if what is stored is still {@code expected} (null: nothing).
     *
     * @return what is stored afterwards: {@code next}, or what another replica stored first, which the caller
     *         then uses instead of its own
     */
    StoredCa compareAndSet(String name, StoredCa expected, StoredCa next);

    /**
     * One CA certificate and its key.
     *
     * @param certificatePem the CA certificate, PEM
     * @param keyPem         its private key as encrypted PKCS#8 PEM ({@code ENCRYPTED PRIVATE KEY})
     */
    record StoredCa(String certificatePem, String keyPem) {
    }
}
