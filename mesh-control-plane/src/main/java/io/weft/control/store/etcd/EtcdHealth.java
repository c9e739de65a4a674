package io.weft.control.store.etcd;

import io.weft.control.store.StoreStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether etcd can be reached, as the last call and the periodic probe found. While it cannot, the replica is
 * read-only: writes are refused at once instead of each waiting for a timeout, and the last state is served.
 */
final class EtcdHealth {

    private static final Logger log = LoggerFactory.getLogger(EtcdHealth.class);

    private final String location;
    private final Clock clock;
    private Instant downSince;
    private String lastError;

    EtcdHealth(String location, Clock clock) {
        this.location = location;
        this.clock = clock;
    }

    synchronized boolean available() {
        return downSince == null;
    }

    synchronized void down(String error) {
        lastError = error;
        if (downSince == null) {
            downSince = clock.instant();
            log.warn("etcd at {} is unavailable ({}); serving the last state read-only until it is back", location,
                    error);
        }
    }

    synchronized void up() {
        if (downSince != null) {
            log.info("etcd at {} is back after {} s; writable again", location,
                    (clock.millis() - downSince.toEpochMilli()) / 1000);
            downSince = null;
            lastError = null;
        }
    }

    /** Why writes are refused now. */
    synchronized String unavailableMessage() {
        return "etcd is unavailable since " + downSince + " (" + lastError + "); this control plane serves its "
                + "last state read-only until it is back";
    }

    synchronized StoreStatus status() {
        return new StoreStatus(EtcdStore.TYPE, location, downSince == null, downSince != null,
                downSince == null ? null : downSince.toString(), lastError);
    }
}
