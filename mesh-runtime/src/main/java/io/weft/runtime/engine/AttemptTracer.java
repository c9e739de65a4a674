package io.weft.runtime.engine;

import io.weft.api.Endpoint;
import io.weft.runtime.resilience.Outcome;

import java.util.Map;

/**
 * Traces attempts: a span per attempt, and the headers that carry its context to the endpoint (W3C
 * {@code traceparent}). The engine calls it; adapters only add the headers. See the OpenTelemetry implementation
 * in {@code io.weft.runtime.telemetry}.
 */
public interface AttemptTracer {

    /** The caller's context when the call starts (the app's current span), handed back for each attempt. */
    Object captureParent();

    AttemptSpan start(Object parent, String service, String route, String subset, String method, String path,
                      Endpoint endpoint, int number);

    /** One attempt's span. */
    interface AttemptSpan {
        /** Headers to send with the attempt. */
        Map<String, String> headers();

        /** The trace this attempt belongs to (32 hex digits), for logs; null when unknown. */
        default String traceId() {
            return null;
        }

        void end(Outcome outcome);
    }
}
