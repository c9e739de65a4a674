package io.weft.runtime.engine;

import io.weft.api.Endpoint;
import io.weft.runtime.resilience.Outcome;

/**
 * What happened to one call.
 *
 * @param path       the request's path (for logs; never a metric tag)
 * @param endpoint   the endpoint of the last attempt, null when none was tried
 * @param outcome    the last attempt's outcome; for a local reply, the status the mesh answered with
 * @param localReply the reason of the mesh's own answer, or null
 * @param attempts   attempts made (retries + 1), 0 for a local reply
 * @param traceId    the trace of the call's attempts when the engine traces, else null
 */
public record CallRecord(String service, String route, String subset, String method, String path, Endpoint endpoint,
                         Outcome outcome, String localReply, int attempts, long durationNanos,
                         String traceId) {
}
