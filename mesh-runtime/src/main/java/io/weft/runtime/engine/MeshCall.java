package io.weft.runtime.engine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.weft.api.OutboundRequest;
import io.weft.runtime.resilience.Breakers;
import io.weft.runtime.resilience.Outcome;
import io.weft.runtime.resilience.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One call through the mesh, from admission to the last attempt. The route and destination are chosen when the
 * call is made; {@link #execute} then runs the policies around the adapter's I/O: rate limit, concurrency limit,
 * fault injection, endpoint pick with breaker permits, per-try and overall timeouts, retries within the budget,
 * and the bookkeeping of every attempt (in-flight counts, breaker, outlier detection, listeners).
 */
public final class MeshCall {

    private static final Logger log = LoggerFactory.getLogger(MeshCall.class);
    /** Endpoints picked and refused by a half-open breaker before the call gives up on finding one. */
    private static final int MAX_PERMIT_PICKS = 3;

    private final ServicePlan service;
    private final CompiledRoute route;
    private final EndpointGroup destination;
    private final OutboundRequest request;
    private final CallListener listener;
    private final long startNanos;

    MeshCall(ServicePlan service, CompiledRoute route, OutboundRequest request, CallListener listener) {
        this.service = service;
        this.route = route;
        this.destination = route.chooseDestination();
        this.request = request;
        this.listener = listener;
        this.startNanos = System.nanoTime();
    }

    public String service() {
        return service.name;
    }

    public String route() {
        return route.name;
    }

    public String subset() {
        return destination.subset();
    }

    /** Runs the call to its end: returns the final response or throws the last attempt's failure. */
    public <R> R execute(Transport<R> transport) throws IOException {
        LocalReply rejection = admit();
        if (rejection != null) {
            finish(null, null, rejection.reason(), 0);
            return transport.localReply(rejection);
        }
        ServiceState state = service.state;
        if (!state.tryEnter(service.maxRequests)) {
            LocalReply overflow = LocalReply.overflow(service.name, service.maxRequests);
            finish(null, null, overflow.reason(), 0);
            return transport.localReply(overflow);
        }
        try {
            return attempts(transport, state);
        } finally {
            state.exit();
        }
    }

    private LocalReply admit() throws InterruptedIOException {
        if (route.rateLimiter != null && !route.rateLimiter.acquirePermission()) {
            return LocalReply.rateLimited(service.name, route.name);
        }
        if (route.fault != null) {
            long delay = route.fault.drawDelayNanos();
            if (delay > 0) {
                sleep(delay);
            }
            int abort = route.fault.drawAbortStatus();
            if (abort != 0) {
                return LocalReply.faultAbort(abort, service.name, route.name);
            }
        }
        return null;
    }

    private <R> R attempts(Transport<R> transport, ServiceState state) throws IOException {
        RetryPolicy retry = route.retry;
        long deadline = route.timeoutNanos > 0 ? startNanos + route.timeoutNanos : 0;
        boolean idempotent = isIdempotent(request.method());
        state.retryBudget.onRequest();
        List<EndpointState> tried = null;
        EndpointState endpoint = pickWithPermit(null);
        for (int number = 0; ; number++) {
            if (endpoint == null) {
                LocalReply reply = LocalReply.noHealthyUpstream(service.name, destination.subset());
                finish(null, null, reply.reason(), number);
                return transport.localReply(reply);
            }
            long timeout = retry.perTryTimeoutNanos();
            if (deadline != 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    finish(endpoint, Outcome.TIMED_OUT, null, number);
                    throw timeout(null, number);
                }
                timeout = timeout == 0 ? left : Math.min(timeout, left);
            }
            R response = null;
            IOException failure = null;
            long began = System.nanoTime();
            endpoint.begin();
            try {
                response = transport.send(new Attempt(endpoint.endpoint(), number, timeout));
            } catch (IOException e) {
                failure = e;
            } finally {
                endpoint.end();
            }
            long took = System.nanoTime() - began;
            Outcome outcome = response != null ? Outcome.response(transport.status(response)) : transport.classify(failure);
            record(endpoint, outcome, took);

            EndpointState next = null;
            if (number < retry.attempts() && retry.isRetriable(outcome, idempotent, transport.replayable())
                    && (deadline == 0 || deadline - System.nanoTime() > 0)) {
                if (tried == null) {
                    tried = new ArrayList<>(retry.attempts() + 1);
                }
                tried.add(endpoint);
                next = state.retryBudget.tryAcquireRetry() ? pickWithPermit(tried) : null;
                if (next == null) {
                    log.debug("{}: not retrying {} after {}: retry budget spent or no endpoint left",
                            service.name, request.method(), outcome);
                }
            }
            if (next == null) {
                finish(endpoint, outcome, null, number + 1);
                if (failure != null) {
                    if (outcome.kind() == Outcome.Kind.TIMEOUT && deadline != 0 && deadline - System.nanoTime() <= 0) {
                        throw timeout(failure, number + 1);
                    }
                    throw failure;
                }
                return response;
            }
            if (response != null) {
                transport.discard(response);
            }
            log.debug("{}: retrying {} {} on {} after {} from {}", service.name, request.method(), request.path(),
                    next, outcome, endpoint);
            long backoff = retry.backoffNanos(number + 1);
            if (deadline != 0) {
                backoff = Math.min(backoff, Math.max(0, deadline - System.nanoTime()));
            }
            sleep(backoff);
            endpoint = next;
        }
    }

    /** Picks an endpoint whose breaker grants a permit (a half-open breaker lets only a few calls through). */
    private EndpointState pickWithPermit(List<EndpointState> avoid) {
        List<EndpointState> refused = avoid;
        for (int i = 0; i < MAX_PERMIT_PICKS; i++) {
            EndpointState e = refused == null ? destination.pick(request) : destination.pickAvoiding(request, refused);
            if (e == null) {
                return null;
            }
            CircuitBreaker breaker = e.breaker();
            if (breaker == null || breaker.tryAcquirePermission()) {
                return e;
            }
            refused = refused == avoid ? new ArrayList<>(avoid == null ? List.of() : avoid) : refused;
            refused.add(e);
        }
        return null;
    }

    private void record(EndpointState endpoint, Outcome outcome, long tookNanos) {
        CircuitBreaker breaker = endpoint.breaker();
        if (breaker != null) {
            Breakers.record(breaker, outcome, tookNanos);
        }
        OutlierDetector detector = service.state.outlierDetector;
        if (detector != null) {
            detector.record(endpoint, outcome);
        }
    }

    private void finish(EndpointState endpoint, Outcome outcome, String localReply, int attempts) {
        if (log.isDebugEnabled()) {
            log.debug("{} {} to {}: route '{}', {}, {} after {} attempt(s) in {} us{}", request.method(), request.path(),
                    service.name, route.name, destination.subset().isEmpty() ? "all endpoints" : "subset " + destination.subset(),
                    endpoint == null ? "no endpoint" : "endpoint " + endpoint, attempts,
                    (System.nanoTime() - startNanos) / 1000, localReply != null ? ", local reply " + localReply
                            : outcome != null ? ", outcome " + outcome : "");
        }
        if (listener != null) {
            try {
                listener.onCallEnd(new CallRecord(service.name, route.name, destination.subset(), request.method(),
                        endpoint == null ? null : endpoint.endpoint(), outcome, localReply, attempts,
                        System.nanoTime() - startNanos));
            } catch (RuntimeException e) {
                log.warn("call listener failed", e);
            }
        }
    }

    private MeshTimeoutException timeout(IOException last, int attempts) {
        return new MeshTimeoutException("weft: " + request.method() + " to " + service.name + " exceeded the "
                + TimeUnit.NANOSECONDS.toMillis(route.timeoutNanos) + " ms timeout of route '" + route.name + "' after "
                + attempts + (attempts == 1 ? " attempt" : " attempts"), last);
    }

    private static void sleep(long nanos) throws InterruptedIOException {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    static boolean isIdempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}
