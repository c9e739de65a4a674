package io.weft.runtime.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Traces requests where Weft receives them (the sidecar's inbound listener): the caller's context is extracted
 * from the request (W3C {@code traceparent}, baggage), a SERVER span continues it, and the app gets that span's
 * context, so caller, proxy and app are one trace.
 */
public final class InboundTracer {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** Headers are looked up by name; W3C propagators never need to list them. */
    private static final TextMapGetter<Function<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return List.of();
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public InboundTracer(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.weft.runtime");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /** One inbound request's span; {@link #headers()} go to the app in place of the caller's. */
    public interface InboundSpan {
        Map<String, String> headers();

        /** Ends the span with the app's status, or {@code failure} when there was no answer. */
        void end(int status, Throwable failure);
    }

    /**
     * @param header the request's header by (lower-case) name, or null
     */
    public InboundSpan start(String method, String path, int serverPort, Function<String, String> header) {
        Context parent = propagator.extract(Context.root(), header, GETTER);
        Span span = tracer.spanBuilder(method)
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent)
                .setAttribute(METHOD, method)
                .setAttribute(URL_PATH, path)
                .setAttribute(SERVER_PORT, (long) serverPort)
                .startSpan();
        Map<String, String> headers = new HashMap<>(4);
        propagator.inject(parent.with(span), headers, (carrier, key, value) -> carrier.put(key, value));
        Map<String, String> toApp = Map.copyOf(headers);
        return new InboundSpan() {
            @Override
            public Map<String, String> headers() {
                return toApp;
            }

            @Override
            public void end(int status, Throwable failure) {
                if (failure != null) {
                    span.setAttribute(ERROR_TYPE, failure.getClass().getName());
                    span.setStatus(StatusCode.ERROR);
                } else {
                    span.setAttribute(STATUS, (long) status);
                    if (status >= 500) {
                        // For a server, only its own 5xx are errors (OpenTelemetry HTTP conventions).
                        span.setAttribute(ERROR_TYPE, Integer.toString(status));
                        span.setStatus(StatusCode.ERROR);
                    }
                }
                span.end();
            }
        };
    }
}
