package io.weft.runtime.engine;

import io.weft.runtime.config.OutlierDetectionConfig;
import io.weft.runtime.resilience.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Passive outlier detection for one service: ejects an endpoint after consecutive failures, for a time that
 * doubles with each repeat ejection, and never more than the allowed share of the service's endpoints.
 */
final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final OutlierDetectionConfig config;
    private final ServiceState service;
    private final ScheduledExecutorService scheduler;

    OutlierDetector(OutlierDetectionConfig config, ServiceState service, ScheduledExecutorService scheduler) {
        this.config = config;
        this.service = service;
        this.scheduler = scheduler;
    }

    OutlierDetectionConfig config() {
        return config;
    }

    void record(EndpointState endpoint, Outcome outcome) {
        if (!config.enabled()) {
            return;
        }
        if (!outcome.isEndpointFailure()) {
            // Read before write: most calls succeed, and a write would bounce the cache line between cores.
            if (endpoint.consecutiveFailures.get() != 0) {
                endpoint.consecutiveFailures.set(0);
            }
            return;
        }
        if (endpoint.consecutiveFailures.incrementAndGet() >= config.consecutiveErrors()) {
            tryEject(endpoint, outcome);
        }
    }

    private void tryEject(EndpointState endpoint, Outcome outcome) {
        long ejectFor;
        synchronized (service) {
            if (endpoint.ejected) {
                return;
            }
            int total = service.endpointCount();
            int maxEjected = Math.max(1, (int) Math.floor(total * config.maxEjectionPercent() / 100.0));
            if (config.maxEjectionPercent() < 100 && total > 1) {
                maxEjected = Math.min(maxEjected, total - 1);
            }
            if (service.ejectedCount() >= maxEjected) {
                log.debug("{}: not ejecting {} after {} failures: {} of {} endpoints already ejected (max {}%)",
                        service.name(), endpoint, endpoint.consecutiveFailures.get(), service.ejectedCount(), total,
                        config.maxEjectionPercent());
                return;
            }
            long now = System.nanoTime();
            // Forgive old ejections: an endpoint that stayed in for the longest ejection time starts over.
            if (endpoint.ejections > 0 && now - endpoint.lastReturnNanos > config.maxEjectionTime().toNanos()) {
                endpoint.ejections = 0;
            }
            endpoint.ejections++;
            long base = config.baseEjectionTime().toNanos();
            ejectFor = Math.min(config.maxEjectionTime().toNanos(), base << Math.min(endpoint.ejections - 1, 20));
            if (ejectFor <= 0) {
                ejectFor = config.maxEjectionTime().toNanos();
            }
            endpoint.ejectedUntilNanos = now + ejectFor;
            endpoint.ejected = true;
            service.ejectedCountChanged(+1);
        }
        log.info("{}: ejected endpoint {} for {} ms after {} consecutive failures (last: {}, ejection #{})",
                service.name(), endpoint, ejectFor / 1_000_000, endpoint.consecutiveFailures.get(), outcome,
                endpoint.ejections);
        service.bumpEpoch();
        service.events().ejected(service.name(), endpoint.endpoint(), ejectFor / 1_000_000);
        scheduler.schedule(() -> unEject(endpoint), ejectFor, TimeUnit.NANOSECONDS);
    }

    private void unEject(EndpointState endpoint) {
        synchronized (service) {
            if (!endpoint.ejected) {
                return;
            }
            endpoint.ejected = false;
            endpoint.consecutiveFailures.set(0);
            endpoint.lastReturnNanos = System.nanoTime();
            if (!service.isLive(endpoint)) {
                // A config change replaced or removed this endpoint meanwhile; the count no longer includes it.
                return;
            }
            service.ejectedCountChanged(-1);
        }
        log.info("{}: endpoint {} returns to rotation", service.name(), endpoint);
        service.bumpEpoch();
        service.events().returned(service.name(), endpoint.endpoint());
    }
}
