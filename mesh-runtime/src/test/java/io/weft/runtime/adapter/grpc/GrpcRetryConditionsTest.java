package io.weft.runtime.adapter.grpc;

import io.grpc.Status;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.RetryConfig;
import io.weft.runtime.resilience.Outcome;
import io.weft.runtime.resilience.RetryPolicy;
import io.weft.runtime.support.Mesh;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** gRPC status names as retry conditions, and the status bridge they rest on. */
class GrpcRetryConditionsTest {

    @Test
    void grpcNamesRetryTheirStatusWhateverTheMethodButNeverAStreamThatLeft() {
        RetryPolicy p = new RetryPolicy(new RetryConfig(2, List.of("unavailable", "resource-exhausted"), null, null, false));
        Outcome unavailable = Outcome.response(GrpcStatuses.toHttp(Status.Code.UNAVAILABLE));
        assertThat(p.isRetriable(unavailable, false, true)).as("a POST that can be sent again").isTrue();
        assertThat(p.isRetriable(unavailable, false, false)).as("a stream that left").isFalse();
        assertThat(p.isRetriable(Outcome.response(429), false, true)).isTrue();
        assertThat(p.isRetriable(Outcome.response(500), false, true)).isFalse();
        assertThat(p.isRetriable(Outcome.CONNECT_FAILED, false, false)).isFalse();

        RetryPolicy byCode = new RetryPolicy(new RetryConfig(2, List.of("503"), null, null, false));
        assertThat(byCode.isRetriable(unavailable, false, true)).as("a status code keeps the idempotency rule").isFalse();
        assertThat(byCode.isRetriable(unavailable, true, true)).isTrue();
    }

    @Test
    void configAcceptsGrpcNamesAndNamesThemWhenRejecting() {
        Mesh.yaml("service: echo\nroutes: [ { retries: { on: [ unavailable, cancelled, deadline-exceeded, internal, 5xx ] } } ]\n");
        assertThatThrownBy(() -> Mesh.yaml("service: echo\nroutes: [ { retries: { on: [ unavailabel ] } } ]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown retry condition 'unavailabel'")
                .hasMessageContaining("resource-exhausted");
    }

    @Test
    void statusesMapBothWays() {
        for (Status.Code code : List.of(Status.Code.OK, Status.Code.CANCELLED, Status.Code.UNAUTHENTICATED,
                Status.Code.PERMISSION_DENIED, Status.Code.NOT_FOUND, Status.Code.RESOURCE_EXHAUSTED,
                Status.Code.UNIMPLEMENTED, Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED)) {
            assertThat(GrpcStatuses.fromHttp(GrpcStatuses.toHttp(code))).isEqualTo(code);
        }
        assertThat(GrpcStatuses.fromHttp(502)).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(GrpcStatuses.fromHttp(418)).isEqualTo(Status.Code.UNKNOWN);
    }
}
