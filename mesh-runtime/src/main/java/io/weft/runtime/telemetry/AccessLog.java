package io.weft.runtime.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.weft.runtime.engine.CallListener;
import io.weft.runtime.engine.CallRecord;
import io.weft.runtime.resilience.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One JSON line per call, opt-in: time, service, route, subset, method, path, endpoint, status, outcome,
 * attempts, duration, for the mesh's own answers the reason, and the trace id when the engine traces. By default the lines go to the SLF4J logger
 * {@code weft.access} at INFO; any sink can take them instead.
 *
 * <pre>{@code {"time":"2026-11-27T17:58:26.120Z","service":"orders","route":"api","subset":"v1","method":"GET",
 * "path":"/api/items","endpoint":"10.0.0.7:8080","status":200,"outcome":"success","attempts":1,"duration_ms":3.412,
 * "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}}</pre>
 */
public final class AccessLog implements CallListener {

    private static final Logger ACCESS = LoggerFactory.getLogger("weft.access");
    private static final JsonFactory JSON = new JsonFactory();

    private final Consumer<String> sink;

    public AccessLog() {
        this(ACCESS::info);
    }

    public AccessLog(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public void onCallEnd(CallRecord call) {
        sink.accept(line(call, Instant.now()));
    }

    static String line(CallRecord call, Instant now) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", now.toString());
            g.writeStringField("service", call.service());
            g.writeStringField("route", call.route());
            g.writeStringField("subset", call.subset());
            g.writeStringField("method", call.method());
            g.writeStringField("path", call.path());
            g.writeStringField("endpoint", call.endpoint() == null ? null : call.endpoint().address());
            Outcome o = call.outcome();
            if (o != null && o.kind() == Outcome.Kind.RESPONSE) {
                g.writeNumberField("status", o.status());
            } else {
                g.writeNullField("status");
            }
            g.writeStringField("outcome", CallMetrics.outcome(call));
            g.writeNumberField("attempts", call.attempts());
            g.writeNumberField("duration_ms", Math.round(call.durationNanos() / 1_000.0) / 1_000.0);
            if (call.localReply() != null) {
                g.writeStringField("reason", call.localReply());
            }
            if (call.traceId() != null) {
                g.writeStringField("trace_id", call.traceId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
