package io.weft.control.registry;

import java.time.Instant;
import java.util.Map;

/**
 * One registered instance of a service.
 *
 * @param host           a host name, or an IP address (IPv6 without brackets)
 * @param expiresAtNanos {@link System#nanoTime()} after which the instance is gone unless renewed; monotonic so
 *                       that a wall-clock jump neither expires nor immortalizes instances
 */
public record RegisteredInstance(String id, String service, String host, int port, Map<String, String> labels,
                                 Instant registeredAt, Instant lastHeartbeat, long expiresAtNanos) {

    public RegisteredInstance {
        labels = Map.copyOf(labels);
    }

    /** The endpoint address as config writes it: {@code host:port}, {@code [v6]:port}. */
    public String endpoint() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    boolean expiredAt(long nanos) {
        return nanos - expiresAtNanos > 0;
    }

    RegisteredInstance renewed(Instant at, long newExpiryNanos) {
        return new RegisteredInstance(id, service, host, port, labels, registeredAt, at, newExpiryNanos);
    }
}
