package io.weft.control.http;

import io.weft.api.ServiceName;
import io.weft.control.auth.Caller;
import io.weft.control.snapshot.PublishedSnapshot;
import io.weft.control.snapshot.SnapshotPublisher;
import io.weft.runtime.config.DurationFormat;

import java.time.Duration;

/**
 * {@code GET /v1/snapshot?service=<caller>&version=<N>&wait=30s}: the current snapshot at once if the caller is owed
 * it (see {@link io.weft.control.snapshot.VersionOrder}); else a long poll until it is (200) or {@code wait} ends
 * (304).
 */
final class SnapshotEndpoint implements Endpoint {

    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final RequestAuth auth;
    private final SnapshotPublisher publisher;
    private final WaitingClients waiting;

    SnapshotEndpoint(RequestAuth auth, SnapshotPublisher publisher, WaitingClients waiting) {
        this.auth = auth;
        this.publisher = publisher;
        this.waiting = waiting;
    }

    @Override
    public void handle(Exchange exchange) throws ApiException {
        Caller caller = auth.authenticate(exchange);
        String service = exchange.requiredQuery("service");
        if (!ServiceName.isValid(service)) {
            throw ApiException.badRequest("service: '" + service + "' is not a valid service name");
        }
        auth.authorize(caller, service);
        Long known = version(exchange.query("version"));
        Duration wait = waitParam(exchange.query("wait"));

        PublishedSnapshot current = publisher.current();
        if (known == null || waiting.owed(known, current)) {
            exchange.respond(SnapshotResponses.ok(current));
        } else if (wait.isZero()) {
            exchange.respond(SnapshotResponses.notModified(current));
        } else {
            waiting.hold(exchange.ctx(), known, wait, exchange.keepAlive());
        }
    }

    private static Long version(String text) throws ApiException {
        if (text == null) {
            return null;
        }
        try {
            long version = Long.parseLong(text);
            if (version < 0) {
                throw ApiException.badRequest("version: " + version + " is negative");
            }
            return version;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("version: '" + text + "' is not a version number");
        }
    }

    private static Duration waitParam(String text) throws ApiException {
        if (text == null) {
            return Duration.ZERO;
        }
        Duration wait;
        try {
            wait = DurationFormat.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("wait: " + e.getMessage());
        }
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw ApiException.badRequest("wait: " + text + " is longer than the maximum, "
                    + DurationFormat.format(MAX_WAIT));
        }
        return wait;
    }
}
