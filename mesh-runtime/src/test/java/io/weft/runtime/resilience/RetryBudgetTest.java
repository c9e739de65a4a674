package io.weft.runtime.resilience;

import io.weft.runtime.config.RetryBudgetConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

    @Test
    void retriesAreCappedToAShareOfRequestsPlusAFloor() {
        RetryBudget budget = new RetryBudget(new RetryBudgetConfig(20.0, 1.0, Duration.ofSeconds(10)));
        for (int i = 0; i < 100; i++) {
            budget.onRequest(System.nanoTime());
        }
        int granted = 0;
        for (int i = 0; i < 100; i++) {
            if (budget.tryAcquireRetry()) {
                granted++;
            }
        }
        // 20 % of 100 requests plus 1/s over a 10 s window.
        assertThat(granted).isEqualTo(30);
    }

    @Test
    void noRequestsMeansOnlyTheFloor() {
        RetryBudget budget = new RetryBudget(new RetryBudgetConfig(20.0, 0.0, Duration.ofSeconds(10)));
        assertThat(budget.tryAcquireRetry()).isFalse();
    }
}
