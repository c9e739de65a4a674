package io.weft.runtime;

import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.support.Backends;
import io.weft.runtime.support.Mesh;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void callsGoThroughTheMesh() throws Exception {
        try (Backends backends = Backends.start(3);
             WeftRuntime runtime = WeftRuntime.builder().config(Mesh.yaml("service: orders\n" + Mesh.endpoints(backends)
                     + "policy: { loadBalancer: round-robin }\n")).build();
             MeshClient client = runtime.client()) {
            for (int i = 0; i < 30; i++) {
                MeshResponse r = client.execute(MeshRequest.get("http://orders/api").build());
                assertThat(r.status()).isEqualTo(200);
            }
            assertThat(backends.counts()).containsExactly(10, 10, 10);
            System.out.println(client.explain(MeshRequest.get("http://orders/api").build()).toText());
        }
    }
}
