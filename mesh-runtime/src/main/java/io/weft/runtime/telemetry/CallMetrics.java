package io.weft.runtime.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.weft.runtime.engine.CallListener;
import io.weft.runtime.engine.CallRecord;
import io.weft.runtime.resilience.Outcome;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Every call the engine finishes, as Micrometer meters, whatever adapter made it:
 * {@code weft.client.requests} (a timer with a percentile histogram; Prometheus shows
 * {@code weft_client_requests_seconds_*}) tagged by service, route, subset, endpoint, method, status class and
 * outcome, and {@code weft.client.retries} by service and route. Tags come from config and a fixed vocabulary, never
 * from paths, so cardinality stays bounded.
 *
 * <p>Register it as a listener: {@code WeftRuntime.builder().listener(new CallMetrics(registry))}.
 */
public final class CallMetrics implements CallListener {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private final MeterRegistry registry;
    /** Meters by their tags; looked up on every call, so kept here rather than asked of the registry. */
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<RetryKey, Counter> retries = new ConcurrentHashMap<>();

    public CallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onCallEnd(CallRecord call) {
        Key key = new Key(call.service(), call.route(), call.subset().isEmpty() ? "all" : call.subset(),
                call.endpoint() == null ? "none" : call.endpoint().address(),
                METHODS.contains(call.method()) ? call.method() : "OTHER", statusClass(call), outcome(call));
        timers.computeIfAbsent(key, this::timer).record(call.durationNanos(), TimeUnit.NANOSECONDS);
        if (call.attempts() > 1) {
            retries.computeIfAbsent(new RetryKey(call.service(), call.route()), this::retryCounter)
                    .increment(call.attempts() - 1);
        }
    }

    /** The tag values of the status classes, made once rather than per call. */
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    /** {@code 2xx} … {@code 5xx} for an answer (the mesh's own included), {@code none} when there was none. */
    static String statusClass(CallRecord call) {
        Outcome o = call.outcome();
        int status = o != null && o.kind() == Outcome.Kind.RESPONSE ? o.status() : 0;
        return STATUS_CLASSES[status >= 100 && status < 600 ? status / 100 : 0];
    }

    /** success, error (a 5xx answer), timeout, connect_failure, reset, cancelled, or the reason of a local reply. */
    static String outcome(CallRecord call) {
        if (call.localReply() != null) {
            return call.localReply().replace('-', '_');
        }
        Outcome o = call.outcome();
        return o == null ? "none" : outcomeName(o);
    }

    /** success, error (a 5xx answer), timeout, connect_failure, reset or cancelled. */
    static String outcomeName(Outcome o) {
        return switch (o.kind()) {
            case RESPONSE -> o.status() >= 500 ? "error" : "success";
            case TIMEOUT -> "timeout";
            case CONNECT_FAILURE -> "connect_failure";
            case RESET -> "reset";
            case CANCELLED -> "cancelled";
        };
    }

    private Timer timer(Key k) {
        return Timer.builder("weft.client.requests")
                .description("Calls through the mesh, from the app's request to the last attempt's answer")
                .tag("service", k.service).tag("route", k.route).tag("subset", k.subset).tag("endpoint", k.endpoint)
                .tag("method", k.method).tag("status", k.status).tag("outcome", k.outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    private Counter retryCounter(RetryKey k) {
        return Counter.builder("weft.client.retries")
                .description("Attempts beyond the first")
                .tag("service", k.service).tag("route", k.route)
                .register(registry);
    }

    private record Key(String service, String route, String subset, String endpoint, String method, String status,
                       String outcome) {
    }

    private record RetryKey(String service, String route) {
    }
}
