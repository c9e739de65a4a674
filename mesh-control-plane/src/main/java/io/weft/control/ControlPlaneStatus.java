package io.weft.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.weft.control.config.RejectedChange;
import io.weft.control.http.RefusedCalls;
import io.weft.control.store.StoreStatus;

/**
 * What {@code GET /v1/status} shows.
 *
 * @param lastChange     when the current version was published, ISO-8601
 * @param lastRejected   the last config change that failed validation, or null when what the store holds is what
 *                       is served
 * @param services       services in the snapshot, configured or only registered
 * @param waitingClients long polls held open right now
 * @param configDir      the config directory; absent with etcd
 * @param store          where state lives and whether it can be reached: with etcd unreachable, {@code readOnly}
 *                       is true and the last state read is served
 * @param refused        API calls refused for their token since start: 401 (missing or unknown token) and 403
 *                       (another service's token), in all and per API
 */
public record ControlPlaneStatus(long version,
                                 String hash,
                                 String lastChange,
                                 @JsonInclude(JsonInclude.Include.ALWAYS) RejectedChange lastRejected,
                                 int services,
                                 int instances,
                                 int waitingClients,
                                 String configDir,
                                 StoreStatus store,
                                 RefusedCalls.Counts refused) {
}
