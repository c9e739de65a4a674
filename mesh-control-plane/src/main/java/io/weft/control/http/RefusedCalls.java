package io.weft.control.http;

import io.weft.runtime.telemetry.LogRateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * API calls refused for their token, counted by reason and API for {@code GET /v1/status}, and logged (never the
 * token): the first refusal of a caller for a reason at once, then at most one line a minute for that caller and
 * reason, saying how many were left out; and at most {@value #LOG_LINES_PER_SECOND} lines a second in all, so that
 * many callers cannot flood the log either. A caller is its address for a 401 (no token tells who it is), and the
 * token's service for a 403.
 */
public final class RefusedCalls {

    /** The API a refused call was for, as named in the status document. */
    public enum Api {
        SNAPSHOT, REGISTRY, CERTIFICATES, CONFIG;

        final String key = name().toLowerCase(Locale.ROOT);
    }

    public enum Reason {
        /** 401: a missing or unknown token. */
        UNAUTHENTICATED(401),
        /** 403: another service's token, or the admin token where a service's is needed (and the other way round). */
        FORBIDDEN(403);

        final int status;

        Reason(int status) {
            this.status = status;
        }
    }

    /** What the status document shows: totals, and per API. */
    public record Counts(long unauthenticated, long forbidden, Map<String, PerApi> byApi) {
    }

    public record PerApi(long unauthenticated, long forbidden) {
    }

    private static final Logger log = LoggerFactory.getLogger(RefusedCalls.class);
    static final int LOG_LINES_PER_SECOND = 10;
    private static final Duration PER_CALLER_WINDOW = Duration.ofMinutes(1);
    /** Callers whose lines are limited one by one; past this many (addresses are cheap to change) it starts over. */
    private static final int MAX_CALLERS = 1024;

    private final AtomicLongArray counts = new AtomicLongArray(Api.values().length * Reason.values().length);
    private final Map<String, LogRateLimit> callers = new ConcurrentHashMap<>();
    private final LogRateLimit allLines = LogRateLimit.perSecond(LOG_LINES_PER_SECOND);

    void refused(Api api, Reason reason, String caller, String why) {
        counts.incrementAndGet(index(api, reason));
        String key = reason + " " + caller;
        if (callers.size() >= MAX_CALLERS && !callers.containsKey(key)) {
            callers.clear();
        }
        long left = callers.computeIfAbsent(key, k -> new LogRateLimit(1, PER_CALLER_WINDOW)).admit();
        if (left < 0 || allLines.admit() < 0) {
            return;
        }
        log.warn("refused a {} call from {}: {} {}{}", api.key, caller, reason.status, why,
                LogRateLimit.leftOut(left, "refusals of this caller for this reason"));
    }

    public Counts counts() {
        long unauthenticated = 0;
        long forbidden = 0;
        Map<String, PerApi> byApi = new LinkedHashMap<>();
        for (Api api : Api.values()) {
            PerApi counted = new PerApi(counts.get(index(api, Reason.UNAUTHENTICATED)),
                    counts.get(index(api, Reason.FORBIDDEN)));
            byApi.put(api.key, counted);
            unauthenticated += counted.unauthenticated();
            forbidden += counted.forbidden();
        }
        return new Counts(unauthenticated, forbidden, byApi);
    }

    private static int index(Api api, Reason reason) {
        return api.ordinal() * Reason.values().length + reason.ordinal();
    }
}
