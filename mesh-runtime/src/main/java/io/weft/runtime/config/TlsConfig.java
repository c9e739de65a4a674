package io.weft.runtime.config;

/**
 * How a service's workloads take calls, and so how its callers call it (Istio: PeerAuthentication, with auto mTLS
 * on the callers' side).
 * <ul>
 * <li>{@code DISABLE} (default): plaintext. Callers connect without TLS.</li>
 * <li>{@code PERMISSIVE}: the service's inbound side takes mTLS and plaintext, for a migration. Callers in the
 * mesh use mTLS.</li>
 * <li>{@code STRICT}: mTLS only; a plaintext connection is refused. Callers in the mesh use mTLS.</li>
 * </ul>
 * A caller that has to use mTLS and has no workload certificate fails the call (503 {@code mtls-unavailable});
 * it never falls back to plaintext.
 */
public record TlsConfig(Mode mode) {

    public static final TlsConfig DISABLED = new TlsConfig(Mode.DISABLE);

    public enum Mode { DISABLE, PERMISSIVE, STRICT }

    public TlsConfig {
        mode = mode == null ? Mode.DISABLE : mode;
    }

    /** Whether callers in the mesh connect to this service with mTLS. */
    public boolean callersUseMtls() {
        return mode != Mode.DISABLE;
    }
}
