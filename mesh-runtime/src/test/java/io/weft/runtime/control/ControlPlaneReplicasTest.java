package io.weft.runtime.control;

import io.weft.api.ServiceName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlPlaneReplicasTest {

    private static final URI A = URI.create("http://cp-a:15010");
    private static final URI B = URI.create("http://cp-b:15010");
    private static final URI C = URI.create("http://cp-c:15010/");

    @Test
    void parsesCommaSeparatedUrls() {
        ControlPlaneReplicas replicas = ControlPlaneReplicas.parse(" http://cp-a:15010, http://cp-b:15010,,");

        assertThat(replicas.all()).containsExactly(A, B);
        assertThat(replicas.current()).isEqualTo(A);
        assertThatThrownBy(() -> ControlPlaneReplicas.parse("http://cp-a:15010,ftp://cp-b"))
                .hasMessageContaining("'ftp://cp-b' is not http(s)");
        assertThatThrownBy(() -> ControlPlaneReplicas.parse(" , ")).hasMessageContaining("no control plane URL");
    }

    @Test
    void failingOverMovesOnOnceFromTheFailedReplicaAndWrapsAround() {
        ControlPlaneReplicas replicas = new ControlPlaneReplicas(List.of(A, B, C));

        assertThat(replicas.failover(A)).isEqualTo(B);
        assertThat(replicas.failover(A)).as("the poller and the registrar both found A gone: skip it once")
                .isEqualTo(B);
        assertThat(replicas.failover(B)).isEqualTo(C);
        assertThat(replicas.failover(C)).isEqualTo(A);
    }

    @Test
    void settingsShareTheReplicaInUseAndResolveAgainstIt() {
        ControlPlaneSettings settings = new ControlPlaneSettings(new ControlPlaneReplicas(List.of(A, C)),
                ServiceName.of("orders"), "t", Path.of("cache"), Duration.ofSeconds(5), null);
        ControlPlaneSettings copy = settings.withTrustAnchor(null);

        settings.replicas().failover(A);

        assertThat(copy.baseUrl()).as("what one client learns, all of a runtime's clients use").isEqualTo(C);
        assertThat(copy.resolve("/v1/certificates")).isEqualTo(URI.create("http://cp-c:15010/v1/certificates"));
    }
}
