package io.weft.runtime.resilience;

import io.weft.runtime.config.RetryConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    @Test
    void byDefaultOnlyRequestsThatNeverLeftAreRetried() {
        RetryPolicy p = new RetryPolicy(RetryConfig.DEFAULTS);
        assertThat(p.attempts()).isEqualTo(2);
        assertThat(p.isRetriable(Outcome.CONNECT_FAILED, false, false)).isTrue();
        assertThat(p.isRetriable(Outcome.RESET_AFTER_SEND, true, true)).isFalse();
        assertThat(p.isRetriable(Outcome.TIMED_OUT, true, true)).isFalse();
        assertThat(p.isRetriable(Outcome.response(503), true, true)).isFalse();
    }

    @Test
    void conditionsSelectOutcomes() {
        RetryPolicy gateway = new RetryPolicy(new RetryConfig(2, List.of("gateway-error"), null, null, false));
        assertThat(gateway.isRetriable(Outcome.response(502), true, true)).isTrue();
        assertThat(gateway.isRetriable(Outcome.response(500), true, true)).isFalse();
        RetryPolicy any5xx = new RetryPolicy(new RetryConfig(2, List.of("5xx"), null, null, false));
        assertThat(any5xx.isRetriable(Outcome.response(500), true, true)).isTrue();
        assertThat(any5xx.isRetriable(Outcome.TIMED_OUT, true, true)).isTrue();
        assertThat(any5xx.isRetriable(Outcome.response(429), true, true)).isFalse();
        RetryPolicy codes = new RetryPolicy(new RetryConfig(2, List.of("429", "retriable-4xx"), null, null, false));
        assertThat(codes.isRetriable(Outcome.response(429), true, true)).isTrue();
        assertThat(codes.isRetriable(Outcome.response(409), true, true)).isTrue();
        assertThat(codes.isRetriable(Outcome.response(404), true, true)).isFalse();
    }

    @Test
    void unsafeRequestsThatMayHaveLeftAreNotRetried() {
        RetryPolicy p = new RetryPolicy(new RetryConfig(2, List.of("5xx"), null, null, false));
        assertThat(p.isRetriable(Outcome.response(503), false, true)).as("POST").isFalse();
        assertThat(p.isRetriable(Outcome.response(503), true, false)).as("one-shot body").isFalse();
        RetryPolicy allowed = new RetryPolicy(new RetryConfig(2, List.of("5xx"), null, null, true));
        assertThat(allowed.isRetriable(Outcome.response(503), false, true)).isTrue();
    }

    @Test
    void backoffGrowsWithJitterUpToTheMaximum() {
        RetryPolicy p = new RetryPolicy(new RetryConfig(5, List.of("5xx"), null,
                new RetryConfig.BackoffConfig(Duration.ofMillis(10), Duration.ofMillis(50)), false));
        for (int i = 0; i < 200; i++) {
            assertThat(p.backoffNanos(1)).isBetween(0L, 10_000_000L);
            assertThat(p.backoffNanos(2)).isBetween(0L, 20_000_000L);
            assertThat(p.backoffNanos(10)).isBetween(0L, 50_000_000L);
        }
    }
}
