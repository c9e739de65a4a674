package io.weft.runtime.control;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the config in force came from and how fresh it is.
 *
 * @param source        {@code none}, {@code disk-cache} or {@code control-plane}
 * @param version       the snapshot version in force, 0 for none
 * @param appliedAt     when it was applied, or null
 * @param lastContactAt when the control plane last answered, or null
 * @param lastError     the last problem polling or applying (cleared by the next success), or null
 * @param lastErrorAt   when it happened, or null
 */
public record ConfigStatus(String source, long version, String hash, Instant appliedAt, Instant lastContactAt,
                           String lastError, Instant lastErrorAt) {

    public static final ConfigStatus NONE = new ConfigStatus("none", 0, null, null, null, null, null);

    /** How old the config in force is, or null when there is none. */
    public Duration age() {
        return appliedAt == null ? null : Duration.between(appliedAt, Instant.now());
    }

    /** True when the last poll reached the control plane. */
    public boolean connected() {
        return lastContactAt != null && lastError == null;
    }
}
