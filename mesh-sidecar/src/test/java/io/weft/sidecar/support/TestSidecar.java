package io.weft.sidecar.support;

import io.weft.sidecar.ProxyLimits;
import io.weft.sidecar.Sidecar;
import io.weft.sidecar.SidecarSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A sidecar on 127.0.0.1 with ports chosen by the OS and a static config written as YAML. */
public final class TestSidecar {

    private TestSidecar() {
    }

    public static Sidecar start(Path dir, String yaml) throws Exception {
        return start(dir, yaml, b -> b);
    }

    public static Sidecar start(Path dir, String yaml, UnaryOperator<SidecarSettings.Builder> customize) throws Exception {
        Path config = writeConfig(dir, yaml);
        SidecarSettings.Builder b = SidecarSettings.builder()
                .configFile(config)
                .outbound("127.0.0.1", 0)
                .inbound("127.0.0.1", 0)
                .workerThreads(2)
                .drainTimeout(Duration.ofSeconds(5))
                .limits(ProxyLimits.defaults());
        Sidecar sidecar = Sidecar.start(customize.apply(b).build());
        if (!sidecar.awaitReady(Duration.ofSeconds(10))) {
            sidecar.close();
            throw new AssertionError("the sidecar did not become ready");
        }
        return sidecar;
    }

    public static Path writeConfig(Path dir, String yaml) throws IOException {
        Path config = dir.resolve("mesh-" + System.nanoTime() + ".yaml");
        Files.writeString(config, yaml);
        return config;
    }

    /** The outbound listener as an HTTP proxy, for clients that send absolute-form requests. */
    public static Proxy proxy(Sidecar sidecar) {
        return new Proxy(Proxy.Type.HTTP, sidecar.outboundAddress());
    }

    public static int outboundPort(Sidecar sidecar) {
        return sidecar.outboundAddress().getPort();
    }

    public static InetSocketAddress inbound(Sidecar sidecar) {
        return sidecar.inboundAddress().orElseThrow();
    }
}
