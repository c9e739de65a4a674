package io.weft.runtime.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.weft.runtime.config.CircuitBreakerConfig;

import java.util.concurrent.TimeUnit;

/** Makes resilience4j breakers from Weft's breaker config. */
public final class Breakers {

    private Breakers() {
    }

    public static CircuitBreaker create(String name, CircuitBreakerConfig c) {
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig config =
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                        .slidingWindowType(io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(c.windowSize())
                        .minimumNumberOfCalls(c.minimumCalls())
                        .failureRateThreshold(c.failureRatePercent().floatValue())
                        .slowCallRateThreshold(c.slowCallRatePercent().floatValue())
                        .slowCallDurationThreshold(c.slowCallDuration())
                        .waitDurationInOpenState(c.openFor())
                        .permittedNumberOfCallsInHalfOpenState(c.halfOpenCalls())
                        // Weft moves OPEN to HALF_OPEN on its own daemon scheduler; resilience4j's would be
                        // a thread of its own per process.
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        .recordException(e -> true)
                        .build();
        return CircuitBreaker.of(name, config);
    }

    /** A failed attempt as resilience4j wants it: a throwable, here without a stack trace. */
    public static final class EndpointFailure extends RuntimeException {
        private static final EndpointFailure[] BY_KIND = new EndpointFailure[Outcome.Kind.values().length];

        static {
            for (Outcome.Kind k : Outcome.Kind.values()) {
                BY_KIND[k.ordinal()] = new EndpointFailure(k.name());
            }
        }

        private EndpointFailure(String message) {
            super(message, null, false, false);
        }

        public static EndpointFailure of(Outcome outcome) {
            return BY_KIND[outcome.kind().ordinal()];
        }
    }

    public static void record(CircuitBreaker breaker, Outcome outcome, long durationNanos) {
        if (outcome.isEndpointFailure()) {
            breaker.onError(durationNanos, TimeUnit.NANOSECONDS, EndpointFailure.of(outcome));
        } else {
            breaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
        }
    }
}
