package io.weft.sidecar.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.weft.api.Endpoint;
import io.weft.sidecar.ProxyLimits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lends upstream channels to exchanges. Connections belong to the event loop of the downstream connection that
 * asked for them (as Envoy's per-worker pools), so an exchange and its upstream share one thread and nothing in
 * between needs a lock. Limits therefore apply per endpoint and per event loop.
 */
public final class UpstreamConnector implements AutoCloseable {

    private record Key(EventLoop loop, String host, int port, UpstreamProtocol protocol) {
    }

    private final ProxyLimits limits;
    private final Map<Key, UpstreamPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public UpstreamConnector(ProxyLimits limits) {
        this.limits = limits;
    }

    /** Must be called on {@code loop}. */
    public Future<UpstreamLease> acquire(EventLoop loop, Endpoint endpoint, UpstreamProtocol protocol) {
        if (closed) {
            return loop.newFailedFuture(new java.net.ConnectException("sidecar is shutting down"));
        }
        Key key = new Key(loop, endpoint.host(), endpoint.port(), protocol);
        return pools.computeIfAbsent(key, this::newPool).acquire();
    }

    private UpstreamPool newPool(Key k) {
        long idleNanos = limits.upstreamIdleTimeout().toNanos();
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis());
        return k.protocol() == UpstreamProtocol.HTTP_2
                ? new Http2Upstream(k.loop(), k.host(), k.port(), idleNanos, connectMillis)
                : new Http1Pool(k.loop(), k.host(), k.port(), limits.upstreamConnections(), idleNanos, connectMillis);
    }

    /** Closes idle connections and refuses new leases; channels in use close with their exchanges. */
    @Override
    public void close() {
        closed = true;
        pools.forEach((key, pool) -> {
            if (!key.loop().isShuttingDown()) {
                key.loop().execute(pool::close);
            }
        });
    }
}
