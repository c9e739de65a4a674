package io.weft.runtime.support;

import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.MeshConfig;

/** Config for tests, written as the YAML a user would write. */
public final class Mesh {

    private Mesh() {
    }

    public static MeshConfig yaml(String text) {
        return new ConfigLoader().parse("test.yaml", text);
    }

    /** Endpoint lines for a YAML list: {@code - { address: 127.0.0.1:port, labels: { version: v } }}. */
    public static String endpoints(Backends backends, String... versions) {
        StringBuilder sb = new StringBuilder("endpoints:\n");
        for (int i = 0; i < backends.all().size(); i++) {
            sb.append("  - { address: ").append(backends.get(i).address());
            if (versions.length > i) {
                sb.append(", labels: { version: ").append(versions[i]).append(" }");
            }
            sb.append(" }\n");
        }
        return sb.toString();
    }
}
