package io.weft.sidecar.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.weft.api.Endpoint;
import io.weft.runtime.security.UpstreamTls;
import io.weft.sidecar.ProxyLimits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Lends upstream channels to exchanges. Connections belong to the event loop of the downstream connection that
 * asked for them (as Envoy's per-worker pools), so an exchange and its upstream share one thread and nothing in
 * between needs a lock. Limits therefore apply per endpoint and per event loop.
 *
 * <p>Pools are keyed by the attempt's mTLS context as well as the endpoint: a plaintext attempt never gets a TLS
 * connection (or the reverse), and an attempt for one destination never gets a connection whose server proved
 * another destination's identity, even when both services share an address.
 */
public final class UpstreamConnector implements AutoCloseable {

    /** @param tls the destination's mTLS context; null for plaintext */
    private record Key(EventLoop loop, String host, int port, UpstreamProtocol protocol, SSLContext tls) {
    }

    private final ProxyLimits limits;
    private final UpstreamSslContexts sslContexts = new UpstreamSslContexts();
    private final Map<Key, UpstreamPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public UpstreamConnector(ProxyLimits limits) {
        this.limits = limits;
    }

    /**
     * Must be called on {@code loop}.
     *
     * @param tls the attempt's {@code tls()}: mTLS with the destination's identity; null for plaintext
     */
    public Future<UpstreamLease> acquire(EventLoop loop, Endpoint endpoint, UpstreamProtocol protocol, UpstreamTls tls) {
        if (closed) {
            return loop.newFailedFuture(new java.net.ConnectException("sidecar is shutting down"));
        }
        Key key = new Key(loop, endpoint.host(), endpoint.port(), protocol, tls == null ? null : tls.context());
        return pools.computeIfAbsent(key, k -> newPool(k, tls)).acquire();
    }

    private UpstreamPool newPool(Key k, UpstreamTls tls) {
        long idleNanos = limits.upstreamIdleTimeout().toNanos();
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis());
        UpstreamDialer dialer = new UpstreamDialer(k.loop(), k.host(), k.port(), connectMillis,
                tls == null ? null : sslContexts.of(tls, k.protocol()), k.protocol());
        return k.protocol() == UpstreamProtocol.HTTP_2
                ? new Http2Upstream(dialer, idleNanos)
                : new Http1Pool(dialer, limits.upstreamConnections(), idleNanos);
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
