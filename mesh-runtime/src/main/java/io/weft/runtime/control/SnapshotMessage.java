package io.weft.runtime.control;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.weft.runtime.config.ServiceConfig;

import java.util.List;

/**
 * The body of {@code GET /v1/snapshot}: the whole mesh config a caller needs, with registered instances merged
 * into each service's endpoints.
 *
 * @param version     increases with every change the control plane publishes; seeded from the clock at start so
 *                    a restarted control plane never goes back
 * @param hash        SHA-256 of the services, also the ETag
 * @param generatedAt when this version was made, ISO-8601
 * @param trustBundle PEM of the mesh CA's certificates when the control plane runs one, else null (and absent
 *                    from the JSON, so a control plane without a CA sends what older runtimes expect)
 */
// Fields added by newer control planes are skipped here, so this runtime keeps working with them. Services stay
// strict: their fields are config and are validated.
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotMessage(long version, String hash, String generatedAt, List<ServiceConfig> services,
                              String trustBundle) {

    public SnapshotMessage {
        services = services == null ? List.of() : List.copyOf(services);
    }

    /** A snapshot without a trust bundle. */
    public SnapshotMessage(long version, String hash, String generatedAt, List<ServiceConfig> services) {
        this(version, hash, generatedAt, services, null);
    }
}
