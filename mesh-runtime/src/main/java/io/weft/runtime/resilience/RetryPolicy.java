package io.weft.runtime.resilience;

import io.weft.runtime.config.RetryConfig;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A route's retry rules, compiled once per config: which outcomes are retried, how many times, with what
 * per-try timeout and backoff.
 */
public final class RetryPolicy {

    private final int attempts;
    private final boolean onConnectFailure;
    private final boolean onReset;
    private final boolean onTimeout;
    private final boolean on5xx;
    private final boolean onGatewayError;
    private final boolean onRetriable4xx;
    private final boolean[] statuses = new boolean[600];
    /** Statuses named by a gRPC status condition: retried whatever the method. */
    private final boolean[] declaredSafe = new boolean[600];
    private final long perTryTimeoutNanos;
    private final long backoffBaseNanos;
    private final long backoffMaxNanos;
    private final boolean allowNonIdempotent;
    private final RetryConfig config;

    public RetryPolicy(RetryConfig config) {
        this.config = config;
        this.attempts = config.attempts();
        boolean connect = false, reset = false, timeout = false, any5xx = false, gateway = false, r4xx = false;
        for (String on : config.on()) {
            switch (on) {
                case "connect-failure" -> connect = true;
                case "reset" -> reset = true;
                case "timeout" -> timeout = true;
                case "5xx" -> any5xx = true;
                case "gateway-error" -> gateway = true;
                case "retriable-4xx" -> r4xx = true;
                default -> {
                    Integer grpc = RetryConfig.GRPC_STATUS_CONDITIONS.get(on);
                    if (grpc != null) {
                        statuses[grpc] = true;
                        declaredSafe[grpc] = true;
                    } else {
                        statuses[Integer.parseInt(on)] = true;
                    }
                }
            }
        }
        // Like Envoy, "5xx" also covers answers that never came: resets and per-try timeouts.
        this.onConnectFailure = connect || any5xx || gateway;
        this.onReset = reset || any5xx;
        this.onTimeout = timeout || any5xx;
        this.on5xx = any5xx;
        this.onGatewayError = gateway;
        this.onRetriable4xx = r4xx;
        this.perTryTimeoutNanos = config.perTryTimeout() == null ? 0 : config.perTryTimeout().toNanos();
        this.backoffBaseNanos = config.backoff().base().toNanos();
        this.backoffMaxNanos = config.backoff().max().toNanos();
        this.allowNonIdempotent = config.allowNonIdempotent();
    }

    public RetryConfig config() {
        return config;
    }

    /** Retries allowed after the first try. */
    public int attempts() {
        return attempts;
    }

    /** 0 when there is no per-try timeout. */
    public long perTryTimeoutNanos() {
        return perTryTimeoutNanos;
    }

    /**
     * Whether an outcome may be retried. A request that may have reached the endpoint is retried only when
     * it is safe to send twice: an idempotent method (or the route allows others, or named the answer by its gRPC
     * status) and a body that can be replayed.
     */
    public boolean isRetriable(Outcome outcome, boolean idempotent, boolean replayable) {
        boolean wanted = switch (outcome.kind()) {
            case CONNECT_FAILURE -> onConnectFailure;
            case RESET -> onReset;
            case TIMEOUT -> onTimeout;
            case RESPONSE -> statusRetriable(outcome.status());
            case CANCELLED -> false; // nobody is waiting for an answer
        };
        if (!wanted) {
            return false;
        }
        if (!outcome.maybeSent()) {
            return true;
        }
        boolean safe = outcome.kind() == Outcome.Kind.RESPONSE && outcome.status() >= 0
                && outcome.status() < declaredSafe.length && declaredSafe[outcome.status()];
        return replayable && (idempotent || allowNonIdempotent || safe);
    }

    private boolean statusRetriable(int status) {
        if (status >= 0 && status < statuses.length && statuses[status]) {
            return true;
        }
        if (status >= 500 && on5xx) {
            return true;
        }
        if (onGatewayError && (status == 502 || status == 503 || status == 504)) {
            return true;
        }
        return onRetriable4xx && status == 409;
    }

    /** Exponential backoff with full jitter before retry number {@code retry} (1 for the first retry). */
    public long backoffNanos(int retry) {
        long ceiling = backoffBaseNanos << Math.min(retry - 1, 20);
        if (ceiling <= 0 || ceiling > backoffMaxNanos) {
            ceiling = backoffMaxNanos;
        }
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
