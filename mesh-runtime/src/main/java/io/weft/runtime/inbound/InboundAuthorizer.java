package io.weft.runtime.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.Snapshot;
import io.weft.runtime.telemetry.LogRateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;

/**
 * Authorizes the inbound requests of one service's workload with the rules of the config in force (a new
 * snapshot's rules apply to the next request). Every decision is counted in {@code weft.inbound.authz}
 * ({@code service}, {@code decision} allow/deny, {@code reason}); every denial is logged with its reason, at
 * most {@value #LOG_LINES_PER_SECOND} lines a second so that a caller hammering a closed door cannot flood the
 * log (the count of the lines left out is in the next one).
 */
public final class InboundAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(InboundAuthorizer.class);
    static final int LOG_LINES_PER_SECOND = 10;

    private final String service;
    private volatile InboundPolicy policy;
    private final Map<InboundDecision.Reason, Counter> counters;
    private final LogRateLimit denialLines = LogRateLimit.perSecond(LOG_LINES_PER_SECOND);

    /**
     * @param service  the service this workload serves, whose rules apply
     * @param registry where the decisions are counted; may be null
     */
    public InboundAuthorizer(String service, MeshEngine engine, MeterRegistry registry) {
        this.service = service;
        this.counters = registry == null ? null : counters(service, registry);
        apply(engine.snapshot());
        engine.onSnapshot(this::apply);
    }

    private void apply(Snapshot snapshot) {
        ServiceConfig config = snapshot.config().service(service).orElse(null);
        this.policy = InboundPolicy.of(config);
    }

    public String service() {
        return service;
    }

    /** The rules in force now: the listener reads its TLS mode from here. */
    public InboundPolicy policy() {
        return policy;
    }

    /** Decides, counts and (for a denial) logs. */
    public InboundDecision authorize(InboundRequest request) {
        InboundDecision decision = policy.decide(request);
        if (counters != null) {
            counters.get(decision.reason()).increment();
        }
        if (!decision.allowed()) {
            logDenial(request, decision);
        }
        return decision;
    }

    private void logDenial(InboundRequest request, InboundDecision decision) {
        long left = denialLines.admit();
        if (left < 0) {
            return;
        }
        log.warn("{}: {} {} from {} {}{}", service, request.method(), request.path(), request.caller(),
                decision.describe(), LogRateLimit.leftOut(left, "denials"));
    }

    private static Map<InboundDecision.Reason, Counter> counters(String service, MeterRegistry registry) {
        Map<InboundDecision.Reason, Counter> map = new EnumMap<>(InboundDecision.Reason.class);
        for (InboundDecision.Reason reason : InboundDecision.Reason.values()) {
            map.put(reason, Counter.builder("weft.inbound.authz")
                    .description("Inbound requests authorized by this workload, by decision and reason")
                    .tag("service", service)
                    .tag("decision", reason.allowed() ? "allow" : "deny")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
        return map;
    }
}
