package io.weft.runtime.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An OpenTelemetry SDK of Weft's own that exports spans over OTLP/HTTP (protobuf, gzip), for processes that have
 * no SDK: the java agent and the sidecar. A library user who has an SDK passes it to {@link OpenTelemetryTracer}
 * instead.
 *
 * <pre>{@code
 * OtlpTracing tracing = OtlpTracing.create(TracingSettings.of("http://127.0.0.1:4318").withServiceName("checkout"));
 * WeftRuntime runtime = WeftRuntime.builder().tracer(tracing.tracer()).configPath(path).build();
 * ...
 * runtime.close();
 * tracing.close(); // exports what is left
 * }</pre>
 *
 * <p>Spans are batched and sent from a background thread by the JDK's {@code HttpClient}
 * ({@code opentelemetry-exporter-sender-jdk}, chosen even when another sender is on the class path); a sampler
 * records {@link TracingSettings#samplingRatio()} of new traces and follows the caller's decision inside a trace;
 * W3C trace context and baggage are propagated. This SDK is never registered as the global one. Needs the
 * optional dependencies {@code opentelemetry-sdk}, {@code opentelemetry-exporter-otlp} and
 * {@code opentelemetry-exporter-sender-jdk}.
 */
public final class OtlpTracing implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OtlpTracing.class);

    static final String JDK_SENDER = "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final TracingSettings settings;
    private final OpenTelemetrySdk sdk;
    private final OpenTelemetryTracer tracer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OtlpTracing(TracingSettings settings, OpenTelemetrySdk sdk) {
        this.settings = settings;
        this.sdk = sdk;
        this.tracer = new OpenTelemetryTracer(sdk);
    }

    /** Starts exporting; the settings were checked when they were made. */
    public static OtlpTracing create(TracingSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("tracing settings are missing");
        }
        OtlpHttpSpanExporterBuilder exporterBuilder = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.tracesUrl().toString())
                .setTimeout(settings.timeout())
                .setCompression("gzip")
                .setComponentLoader(jdkSenderOnly(OtlpTracing.class.getClassLoader()));
        settings.headers().forEach(exporterBuilder::addHeader);
        OtlpHttpSpanExporter exporter = exporterBuilder.build();
        try {
            Resource resource = Resource.getDefault()
                    .merge(Resource.create(Attributes.of(SERVICE_NAME, settings.serviceName())));
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(resource)
                    .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.samplingRatio())))
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                            .setExporterTimeout(settings.timeout())
                            .build())
                    .build();
            OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(provider)
                    .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                    .build();
            return new OtlpTracing(settings, sdk);
        } catch (RuntimeException | Error e) {
            exporter.shutdown();
            throw e;
        }
    }

    /** The tracer to give the runtime: {@code WeftRuntime.builder().tracer(tracing.tracer())}. */
    public OpenTelemetryTracer tracer() {
        return tracer;
    }

    /** The SDK behind it, for spans of the process's own (the agent's, the sidecar's). */
    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    public TracingSettings settings() {
        return settings;
    }

    /** Exports the spans that have ended; false if that failed or did not finish within the timeout. */
    public boolean flush() {
        return await(sdk.getSdkTracerProvider().forceFlush());
    }

    /** Exports what is left (waiting at most twice the timeout) and stops; spans started later are dropped. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean flushed = flush();
        boolean shutDown = await(sdk.shutdown());
        if (!flushed || !shutDown) {
            log.warn("weft tracing: not every span could be exported to {} before shutdown", settings.tracesUrl());
        }
    }

    private boolean await(CompletableResultCode result) {
        return result.join(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /**
     * Loads the SDK's plug-ins from {@code loader}, except that the only HTTP sender is the JDK's: with the OkHttp
     * sender on the class path too (an app's own), the exporter would otherwise pick either one.
     */
    static ComponentLoader jdkSenderOnly(ClassLoader loader) {
        ComponentLoader delegate = ComponentLoader.forClassLoader(loader);
        return new ComponentLoader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Iterable<T> load(Class<T> spi) {
                if (spi != HttpSenderProvider.class) {
                    return delegate.load(spi);
                }
                // Chosen by type, so another sender is never instantiated.
                List<HttpSenderProvider> jdk = ServiceLoader.load(HttpSenderProvider.class, loader).stream()
                        .filter(p -> p.type().getName().equals(JDK_SENDER))
                        .map(ServiceLoader.Provider::get)
                        .toList();
                if (jdk.isEmpty()) {
                    throw new IllegalStateException("OTLP export needs io.opentelemetry:opentelemetry-exporter-sender-jdk"
                            + " on the class path");
                }
                return (Iterable<T>) jdk;
            }
        };
    }
}
