package io.weft.spring.grpc;

import io.grpc.ManagedChannel;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.adapter.grpc.MeshGrpc;
import org.springframework.beans.factory.DisposableBean;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * gRPC channels to mesh services: calls are routed, balanced, retried and measured by the engine
 * ({@link MeshGrpc}), over mTLS with this workload's certificate when the service takes it. One channel per service,
 * shared (as gRPC channels are meant to be), shut down with the application context.
 *
 * <p>A channel's TLS is decided when it is made, from the service's TLS mode in the config then in force (the
 * runtime has waited for the first config by the time this bean exists). A channel made plaintext for a service
 * that later takes mTLS refuses its calls with {@code UNAVAILABLE} ({@code mtls-unavailable}) rather than send them
 * in clear; {@link #reset} makes the next {@link #channel} build it again.
 */
public final class WeftGrpcChannels implements DisposableBean {

    private static final long SHUTDOWN_SECONDS = 5;

    private final WeftRuntime runtime;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public WeftGrpcChannels(WeftRuntime runtime) {
        this.runtime = runtime;
    }

    /** The channel to {@code service}, made on first use: {@code newStub(channels.channel("orders"))}. */
    public ManagedChannel channel(String service) {
        return channels.computeIfAbsent(service, s -> MeshGrpc.channel(runtime, s));
    }

    /** Shuts the channel to {@code service} down (its calls in flight finish); the next one is made anew. */
    public void reset(String service) {
        ManagedChannel old = channels.remove(service);
        if (old != null) {
            old.shutdown();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        channels.values().forEach(ManagedChannel::shutdown);
        for (ManagedChannel channel : channels.values()) {
            if (!channel.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        }
        channels.clear();
    }
}
