package io.weft.runtime.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.weft.api.Endpoint;
import io.weft.runtime.engine.AttemptTracer;
import io.weft.runtime.resilience.Outcome;

import java.util.HashMap;
import java.util.Map;

/**
 * Attempts as OpenTelemetry CLIENT spans, following the HTTP semantic conventions: one span per physical
 * request ({@code http.request.resend_count} on retries), a child of the app's current span, with its context
 * injected into the request by the app's propagators (W3C {@code traceparent}, baggage). It uses the app's
 * {@link OpenTelemetry}, so an app (or agent) that already traces gets Weft's spans in the same traces.
 */
public final class OpenTelemetryTracer implements AttemptTracer {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("weft.service");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("weft.route");
    private static final AttributeKey<String> SUBSET = AttributeKey.stringKey("weft.subset");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public OpenTelemetryTracer(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.weft.runtime");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    @Override
    public Object captureParent() {
        return new CallParent(Context.current());
    }

    /**
     * The parent of a call's attempts. Without a caller span, the first attempt roots the trace and the resends
     * become its children, so that one call is one trace rather than one trace per attempt. Attempts of a call
     * run one after another, so the field needs no lock.
     */
    private static final class CallParent {
        private Context context;

        CallParent(Context context) {
            this.context = context;
        }
    }

    @Override
    public AttemptSpan start(Object parent, String service, String route, String subset, String method, String path,
                             Endpoint endpoint, int number) {
        CallParent callParent = parent instanceof CallParent p ? p : new CallParent(Context.current());
        Context parentContext = callParent.context;
        var builder = tracer.spanBuilder(method)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parentContext)
                .setAttribute(METHOD, method)
                .setAttribute(SERVER_ADDRESS, endpoint.host())
                .setAttribute(SERVER_PORT, (long) endpoint.port())
                .setAttribute(URL_PATH, path)
                .setAttribute(SERVICE, service)
                .setAttribute(ROUTE, route);
        if (!subset.isEmpty()) {
            builder.setAttribute(SUBSET, subset);
        }
        if (number > 0) {
            builder.setAttribute(RESEND_COUNT, (long) number);
        }
        Span span = builder.startSpan();
        if (!Span.fromContext(parentContext).getSpanContext().isValid()) {
            callParent.context = parentContext.with(span);
        }
        Map<String, String> headers = new HashMap<>(4);
        propagator.inject(parentContext.with(span), headers, (carrier, key, value) -> carrier.put(key, value));
        return new OtelAttemptSpan(span, Map.copyOf(headers));
    }

    private record OtelAttemptSpan(Span span, Map<String, String> headers) implements AttemptSpan {

        @Override
        public String traceId() {
            return span.getSpanContext().getTraceId();
        }

        @Override
        public void end(Outcome outcome) {
            if (outcome.kind() == Outcome.Kind.RESPONSE) {
                span.setAttribute(STATUS, (long) outcome.status());
                if (outcome.status() >= 500) {
                    span.setAttribute(ERROR_TYPE, Integer.toString(outcome.status()));
                    span.setStatus(StatusCode.ERROR);
                }
            } else {
                span.setAttribute(ERROR_TYPE, CallMetrics.outcomeName(outcome));
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }
}
