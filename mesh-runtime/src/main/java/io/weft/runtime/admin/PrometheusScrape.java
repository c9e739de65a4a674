package io.weft.runtime.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.Supplier;

/**
 * The Prometheus text of a registry. micrometer-registry-prometheus is optional: {@link OptionalLibraries#prometheus()}
 * is checked before this class is touched, so an app without it never loads it (its verification alone needs the
 * Prometheus types).
 */
public final class PrometheusScrape {

    private PrometheusScrape() {
    }

    /** The registry's scrape if it is (or, as a composite, holds) a Prometheus registry; else null. */
    public static Supplier<String> of(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return prometheus::scrape;
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                Supplier<String> scrape = of(member);
                if (scrape != null) {
                    return scrape;
                }
            }
        }
        return null;
    }

    /** A registry of the runtime's own, for when the app has none. */
    public static MeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
