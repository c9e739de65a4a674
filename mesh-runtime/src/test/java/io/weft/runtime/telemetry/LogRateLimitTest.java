package io.weft.runtime.telemetry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LogRateLimitTest {

    @Test
    void admitsSoManyLinesAWindowAndCountsTheRestForTheNextLine() throws InterruptedException {
        LogRateLimit hourly = new LogRateLimit(2, Duration.ofHours(1));
        assertThat(hourly.admit()).isZero();
        assertThat(hourly.admit()).isZero();
        assertThat(hourly.admit()).isEqualTo(-1);
        assertThat(hourly.admit()).isEqualTo(-1);

        LogRateLimit brief = new LogRateLimit(1, Duration.ofMillis(50));
        assertThat(brief.admit()).isZero();
        long leftOut = 0;
        for (int i = 0; i < 3; i++) {
            long admitted = brief.admit();
            if (admitted < 0) {
                leftOut++;
            } else {
                // A slow machine crossed into the next window: that line said how many were left out.
                assertThat(admitted).isEqualTo(leftOut);
                leftOut = 0;
            }
        }
        Thread.sleep(120);
        assertThat(brief.admit()).as("the first line of a later window").isEqualTo(leftOut);
    }

    @Test
    void saysHowManyWereLeftOut() {
        assertThat(LogRateLimit.leftOut(0, "denials")).isEmpty();
        assertThat(LogRateLimit.leftOut(3, "denials")).isEqualTo(" (3 denials not logged before this one)");
    }
}
