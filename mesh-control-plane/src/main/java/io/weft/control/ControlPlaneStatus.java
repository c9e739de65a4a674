package io.weft.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.weft.control.config.RejectedChange;

/**
 * What {@code GET /v1/status} shows.
 *
 * @param lastChange     when the current version was published, ISO-8601
 * @param lastRejected   the last config change that failed validation, or null when the files on disk are what
 *                       is served
 * @param services       services in the snapshot, configured or only registered
 * @param waitingClients long polls held open right now
 */
public record ControlPlaneStatus(long version,
                                 String hash,
                                 String lastChange,
                                 @JsonInclude(JsonInclude.Include.ALWAYS) RejectedChange lastRejected,
                                 int services,
                                 int instances,
                                 int waitingClients,
                                 String configDir) {
}
