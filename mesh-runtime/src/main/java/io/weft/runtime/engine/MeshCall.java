package io.weft.runtime.engine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.weft.api.OutboundRequest;
import io.weft.runtime.resilience.Breakers;
import io.weft.runtime.resilience.Outcome;
import io.weft.runtime.resilience.RetryPolicy;
import io.weft.runtime.security.UpstreamTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One call through the mesh, from admission to the last attempt. The route and destination are chosen when the
 * call is made; {@link #execute} (blocking) or {@link #executeAsync} (futures and timers, no blocked thread) then
 * run the policies around the adapter's I/O: rate limit, fault injection, concurrency limit, endpoint pick with
 * breaker permits, per-try and overall timeouts, retries within the budget, and the bookkeeping of every attempt
 * (in-flight counts, breaker, outlier detection, listeners). Both drivers share every decision; only the waiting
 * differs.
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
    private final ScheduledExecutorService timer;
    private final long startNanos;
    private final AttemptTracer tracer;
    private final Object traceParent;
    private final UpstreamTls tls;
    /** Why the call cannot have the mTLS it needs; null when it can (or needs none). */
    private final String noTls;
    private AttemptTracer.AttemptSpan span;
    /** The trace of the last attempt, for the call's record. */
    private String traceId;

    // The attempts' progress. A call runs once, on one thread at a time (the caller's, or the one completing the
    // previous attempt), so plain fields do: no per-call object beyond this one.
    private boolean started;
    private long deadline;
    private boolean idempotent;
    private boolean replayable;
    private EndpointState endpoint;
    private List<EndpointState> tried;
    private int number;
    private long began;
    private long backoffNanos;

    MeshCall(ServicePlan service, CompiledRoute route, OutboundRequest request, CallListener listener,
             ScheduledExecutorService timer, AttemptTracer tracer, UpstreamTls tls, String noTls) {
        this.service = service;
        this.route = route;
        this.destination = route.chooseDestination();
        this.request = request;
        this.listener = listener;
        this.timer = timer;
        this.tracer = tracer;
        this.tls = tls;
        this.noTls = noTls;
        // Captured now, on the app's thread: attempts may run on others.
        this.traceParent = tracer == null ? null : tracer.captureParent();
        // The call's start matters for a deadline, a listener or the debug log; otherwise skip the clock read.
        this.startNanos = route.timeoutNanos > 0 || listener != null || log.isDebugEnabled() ? System.nanoTime() : 0;
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

    /** Runs the call to its end on this thread: returns the final response or throws the last attempt's failure. */
    public <R> R execute(Transport<R> transport) throws IOException {
        if (noTls != null) {
            return reply(transport::localReply, LocalReply.mtlsUnavailable(service.name, noTls));
        }
        if (route.rateLimiter != null && !route.rateLimiter.acquirePermission()) {
            return reply(transport::localReply, LocalReply.rateLimited(service.name, route.name));
        }
        sleep(faultDelayNanos());
        LocalReply rejection = admit();
        if (rejection != null) {
            return reply(transport::localReply, rejection);
        }
        try {
            startAttempts(transport.replayable());
            while (true) {
                if (endpoint == null) {
                    return reply(transport::localReply, noEndpoint());
                }
                Attempt attempt = begin();
                R response = null;
                IOException failure = null;
                try {
                    response = transport.send(attempt);
                } catch (IOException e) {
                    failure = e;
                }
                Outcome outcome = response != null ? Outcome.response(transport.status(response)) : transport.classify(failure);
                if (!end(outcome)) {
                    if (failure != null) {
                        throw finalFailure(failure, outcome);
                    }
                    return response;
                }
                if (response != null) {
                    transport.discard(response);
                }
                sleep(backoffNanos);
            }
        } finally {
            service.state.exit();
        }
    }

    /** Runs the call without blocking: waits (fault delay, backoff) are timers, attempts are the transport's futures. */
    public <R> CompletableFuture<R> executeAsync(AsyncTransport<R> transport) {
        if (noTls != null) {
            return CompletableFuture.completedFuture(reply(transport::localReply,
                    LocalReply.mtlsUnavailable(service.name, noTls)));
        }
        if (route.rateLimiter != null && !route.rateLimiter.acquirePermission()) {
            return CompletableFuture.completedFuture(reply(transport::localReply, LocalReply.rateLimited(service.name, route.name)));
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        later(faultDelayNanos(), () -> {
            LocalReply rejection = admit();
            if (rejection != null) {
                result.complete(reply(transport::localReply, rejection));
                return;
            }
            result.whenComplete((r, e) -> service.state.exit());
            startAttempts(transport.replayable());
            attemptAsync(transport, result);
        }, result);
        return result;
    }

    private <R> void attemptAsync(AsyncTransport<R> transport, CompletableFuture<R> result) {
        if (endpoint == null) {
            result.complete(reply(transport::localReply, noEndpoint()));
            return;
        }
        CompletableFuture<R> sent;
        try {
            sent = transport.send(begin());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        } catch (MeshTimeoutException e) {
            result.completeExceptionally(e);
            return;
        }
        sent.whenComplete((response, error) -> {
            Throwable failure = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            Outcome outcome = failure == null ? Outcome.response(transport.status(response)) : transport.classify(failure);
            boolean retry;
            try {
                retry = end(outcome);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            if (!retry) {
                if (failure != null) {
                    result.completeExceptionally(failure instanceof IOException io ? finalFailure(io, outcome) : failure);
                } else {
                    result.complete(response);
                }
                return;
            }
            if (response != null) {
                transport.discard(response);
            }
            later(backoffNanos, () -> attemptAsync(transport, result), result);
        });
    }

    /** Fault abort and the concurrency limit; on admission the call counts as in flight until it ends. */
    private LocalReply admit() {
        if (route.fault != null) {
            int abort = route.fault.drawAbortStatus();
            if (abort != 0) {
                return LocalReply.faultAbort(abort, service.name, route.name);
            }
        }
        if (!service.state.tryEnter(service.maxRequests)) {
            return LocalReply.overflow(service.name, service.maxRequests);
        }
        return null;
    }

    private long faultDelayNanos() {
        return route.fault == null ? 0 : route.fault.drawDelayNanos();
    }

    private <R> R reply(java.util.function.Function<LocalReply, R> make, LocalReply reply) {
        finish(null, Outcome.response(reply.status()), reply.reason(), 0);
        return make.apply(reply);
    }

    private void startAttempts(boolean replayable) {
        if (started) {
            throw new IllegalStateException("a MeshCall runs once");
        }
        started = true;
        this.deadline = route.timeoutNanos > 0 ? startNanos + route.timeoutNanos : 0;
        this.idempotent = HttpMethods.isIdempotent(request.method());
        this.replayable = replayable;
        service.state.retryBudget.onRequest(startNanos != 0 ? startNanos : System.nanoTime());
        this.endpoint = pickWithPermit(null);
    }

    private LocalReply noEndpoint() {
        return LocalReply.noHealthyUpstream(service.name, destination.subset());
    }

    /** Starts an attempt on {@link #endpoint}; throws when the call's deadline has already passed. */
    private Attempt begin() throws MeshTimeoutException {
        RetryPolicy retry = route.retry;
        long timeout = retry.perTryTimeoutNanos();
        if (deadline != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                finish(endpoint, Outcome.TIMED_OUT, null, number);
                throw timeout(null, number);
            }
            timeout = timeout == 0 ? left : Math.min(timeout, left);
        }
        endpoint.begin();
        // Only a breaker needs the attempt's duration (slow calls); spare the clock read otherwise.
        began = endpoint.breaker() != null ? System.nanoTime() : 0;
        if (tracer == null) {
            return new Attempt(endpoint.endpoint(), number, timeout, java.util.Map.of(), tls);
        }
        span = tracer.start(traceParent, service.name, route.name, destination.subset(), request.method(),
                request.path(), endpoint.endpoint(), number);
        traceId = span.traceId();
        return new Attempt(endpoint.endpoint(), number, timeout, span.headers(), tls);
    }

    /** Records the attempt's outcome; true when the call goes on to {@link #endpoint} after {@link #backoffNanos}. */
    private boolean end(Outcome outcome) {
        RetryPolicy retry = route.retry;
        endpoint.end();
        record(endpoint, outcome);
        if (span != null) {
            span.end(outcome);
            span = null;
        }
        EndpointState next = null;
        if (number < retry.attempts() && retry.isRetriable(outcome, idempotent, replayable) && !pastDeadline()) {
            if (tried == null) {
                tried = new ArrayList<>(retry.attempts() + 1);
            }
            tried.add(endpoint);
            if (!service.state.retryBudget.tryAcquireRetry()) {
                log.debug("{}: not retrying {} after {}: retry budget spent", service.name, request.method(), outcome);
                service.state.events().retryBudgetExhausted(service.name, route.name);
            } else {
                next = pickWithPermit(tried);
                if (next == null) {
                    log.debug("{}: not retrying {} after {}: no endpoint left", service.name, request.method(), outcome);
                }
            }
        }
        if (next == null) {
            finish(endpoint, outcome, null, number + 1);
            return false;
        }
        log.debug("{}: retrying {} {} on {} after {} from {}", service.name, request.method(), request.path(),
                next, outcome, endpoint);
        backoffNanos = retry.backoffNanos(number + 1);
        if (deadline != 0) {
            backoffNanos = Math.min(backoffNanos, Math.max(0, deadline - System.nanoTime()));
        }
        endpoint = next;
        number++;
        return true;
    }

    /** The exception that ends a call whose last attempt failed: a timeout names the route's deadline. */
    private IOException finalFailure(IOException last, Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.TIMEOUT && deadline != 0 && pastDeadline()) {
            return timeout(last, number + 1);
        }
        return last;
    }

    private boolean pastDeadline() {
        return deadline != 0 && deadline - System.nanoTime() <= 0;
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
            e.checkBreaker(breaker);
            refused = refused == avoid ? new ArrayList<>(avoid == null ? List.of() : avoid) : refused;
            refused.add(e);
        }
        return null;
    }

    private void record(EndpointState endpoint, Outcome outcome) {
        CircuitBreaker breaker = endpoint.breaker();
        if (outcome.kind() == Outcome.Kind.CANCELLED) {
            if (breaker != null) {
                breaker.releasePermission(); // taken in pickWithPermit; a half-open breaker counts them
            }
            return;
        }
        if (breaker != null) {
            Breakers.record(breaker, outcome, System.nanoTime() - began);
            endpoint.checkBreaker(breaker);
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
                        request.path(), endpoint == null ? null : endpoint.endpoint(), outcome, localReply, attempts,
                        System.nanoTime() - startNanos, traceId));
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

    /** Runs {@code task} after {@code nanos} on the runtime's timer (at once when 0); a failure ends {@code result}. */
    private void later(long nanos, Runnable task, CompletableFuture<?> result) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        };
        if (nanos <= 0) {
            guarded.run();
        } else {
            timer.schedule(guarded, nanos, TimeUnit.NANOSECONDS);
        }
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

}
