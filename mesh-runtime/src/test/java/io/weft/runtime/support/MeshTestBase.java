package io.weft.runtime.support;

import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.WeftRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Three real backends per test, and a runtime with a client once the test gives its config. */
public abstract class MeshTestBase {

    protected Backends backends;
    protected WeftRuntime runtime;
    protected MeshClient client;

    @BeforeEach
    void startBackends() throws Exception {
        backends = Backends.start(3);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (client != null) client.close();
        if (runtime != null) runtime.close();
        backends.close();
    }

    /** Builds the runtime from YAML; override {@link #configure} to change the builder. */
    protected void mesh(String yaml) {
        runtime = configure(WeftRuntime.builder().config(Mesh.yaml(yaml))).build();
        client = runtime.client();
    }

    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder;
    }

    protected MeshResponse get(String url, String... headerPairs) throws Exception {
        MeshRequest.Builder b = MeshRequest.get(url);
        for (int i = 0; i < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        return client.execute(b.build());
    }
}
