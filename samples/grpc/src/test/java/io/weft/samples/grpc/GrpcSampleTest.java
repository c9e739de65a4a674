package io.weft.samples.grpc;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample as a user runs it: every step's own checks pass, and what it prints says so. */
class GrpcSampleTest {

    @Test
    void theSampleRunsAndItsChecksPass() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GrpcSample.Result r = GrpcSample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(r.problems()).as(printed).isEmpty();
        assertThat(r.canary()).isEqualTo(Map.of("v2", 20));
        String instance = r.stream().get(0).substring(0, r.stream().get(0).indexOf(':'));
        assertThat(r.stream()).as("three messages from one instance")
                .containsExactly(instance + ": 1", instance + ": 2", instance + ": 3");
        assertThat(r.failedCalls()).isZero();
        assertThat(printed).contains("All checks passed.");
    }
}
