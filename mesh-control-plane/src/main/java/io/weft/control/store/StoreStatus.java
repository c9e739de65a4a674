package io.weft.control.store;

/**
 * The {@code store} part of {@code GET /v1/status}.
 *
 * @param type             {@code embedded} or {@code etcd}
 * @param location         the config directory, or etcd's endpoints and key prefix
 * @param available        false while the store cannot be reached
 * @param readOnly         true while nothing can be written: registrations, heartbeats and config writes get 503,
 *                         and the last state read is served
 * @param unavailableSince when it became unreachable, ISO-8601, or null
 * @param lastError        why, or null
 */
public record StoreStatus(String type, String location, boolean available, boolean readOnly,
                          String unavailableSince, String lastError) {

    public static StoreStatus reachable(String type, String location) {
        return new StoreStatus(type, location, true, false, null, null);
    }
}
