package io.weft.runtime.adapter.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.telemetry.CallMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The mesh's own answers (fault aborts, rate limits) as gRPC statuses, and every call in the metrics. */
class GrpcLocalRepliesTest extends GrpcMeshTestBase {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.listener(new CallMetrics(registry));
    }

    private long count(String route, String outcome) {
        return registry.find("weft.client.requests").tag("service", "echo").tag("route", route).tag("outcome", outcome)
                .timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void faultAbortsAndRateLimitsCloseTheCallWithAMatchingStatus() {
        mesh("service: echo\n" + backends.endpoints()
                + "policy: { outlierDetection: { enabled: false } }\n"
                + "routes:\n"
                + "  - { name: aborted, match: { path: { exact: /test.Echo/Stream } }, fault: { abort: { percent: 100, status: 503 } } }\n"
                + "  - { name: limited, match: { path: { exact: /test.Echo/Slow } }, rateLimit: { requestsPerSecond: 1 } }\n"
                + "  - { name: say }\n");
        StatusRuntimeException abort = catchThrowableOfType(StatusRuntimeException.class, () -> stream(2));
        assertThat(abort.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(abort.getStatus().getDescription()).contains("fault injected by route 'aborted'");
        assertThat(abort.getTrailers().get(Metadata.Key.of("x-weft-local-reply", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("fault-abort");

        int limited = 0;
        for (int i = 0; i < 4; i++) {
            Status.Code code = codeOf(() -> io.grpc.stub.ClientCalls.blockingUnaryCall(channel, EchoService.SLOW,
                    io.grpc.CallOptions.DEFAULT, "x"));
            if (code == Status.Code.RESOURCE_EXHAUSTED) {
                limited++;
            } else {
                assertThat(code).isEqualTo(Status.Code.OK);
            }
        }
        assertThat(limited).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < 5; i++) {
            say("m");
        }
        assertThat(backends.total()).as("aborted and limited calls never left").isEqualTo(4 - limited + 5);

        assertThat(count("aborted", "fault_abort")).isEqualTo(1);
        assertThat(count("limited", "rate_limited")).isEqualTo(limited);
        assertThat(count("say", "success")).isEqualTo(5);
    }

    @Test
    void endpointFailuresAreCountedByHowTheyFailed() {
        backends.get(0).failWith = Status.UNAVAILABLE;
        backends.get(1).failWith = Status.INVALID_ARGUMENT;
        mesh("service: echo\nendpoints:\n  - { address: 127.0.0.1:" + backends.get(0).port() + " }\n"
                + "policy: { outlierDetection: { enabled: false } }\n");
        for (int i = 0; i < 3; i++) {
            assertThat(codeOf(() -> say("x"))).isEqualTo(Status.Code.UNAVAILABLE);
        }
        assertThat(count("default", "error")).isEqualTo(3);
        assertThat(registry.find("weft.client.requests").tag("outcome", "error").timer().getId().getTag("status"))
                .isEqualTo("5xx");
    }
}
