package io.weft.sidecar;

import java.time.Duration;

/**
 * The limits that protect the proxy and its neighbours from any one client or upstream.
 *
 * @param maxConnections        downstream connections per listener; more are closed at once
 * @param maxHeaderSize         bytes of request headers (HTTP/1.1) or header list (HTTP/2); more gets 431
 * @param maxRequestLine        bytes of the HTTP/1.1 request line; more gets 414
 * @param headerTimeout         time from a request's first byte to the end of its headers; longer gets 408 (slowloris)
 * @param idleTimeout           a downstream connection with no request in flight and no traffic for this long is closed
 * @param maxConcurrentStreams  HTTP/2 streams per downstream connection
 * @param upstreamConnections   HTTP/1.1 connections per upstream endpoint and event loop
 * @param upstreamIdleTimeout   a pooled upstream connection unused for this long is closed
 * @param connectTimeout        TCP connect timeout to an upstream endpoint
 */
public record ProxyLimits(int maxConnections, int maxHeaderSize, int maxRequestLine, Duration headerTimeout,
                          Duration idleTimeout, int maxConcurrentStreams, int upstreamConnections,
                          Duration upstreamIdleTimeout, Duration connectTimeout) {

    public static ProxyLimits defaults() {
        return new ProxyLimits(10_000, 16 * 1024, 8 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60), 1000,
                128, Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    public ProxyLimits withMaxConnections(int n) {
        return new ProxyLimits(n, maxHeaderSize, maxRequestLine, headerTimeout, idleTimeout, maxConcurrentStreams,
                upstreamConnections, upstreamIdleTimeout, connectTimeout);
    }

    public ProxyLimits withMaxHeaderSize(int n) {
        return new ProxyLimits(maxConnections, n, maxRequestLine, headerTimeout, idleTimeout, maxConcurrentStreams,
                upstreamConnections, upstreamIdleTimeout, connectTimeout);
    }

    public ProxyLimits withMaxRequestLine(int n) {
        return new ProxyLimits(maxConnections, maxHeaderSize, n, headerTimeout, idleTimeout, maxConcurrentStreams,
                upstreamConnections, upstreamIdleTimeout, connectTimeout);
    }

    public ProxyLimits withHeaderTimeout(Duration d) {
        return new ProxyLimits(maxConnections, maxHeaderSize, maxRequestLine, d, idleTimeout, maxConcurrentStreams,
                upstreamConnections, upstreamIdleTimeout, connectTimeout);
    }

    public ProxyLimits withIdleTimeout(Duration d) {
        return new ProxyLimits(maxConnections, maxHeaderSize, maxRequestLine, headerTimeout, d, maxConcurrentStreams,
                upstreamConnections, upstreamIdleTimeout, connectTimeout);
    }

    public ProxyLimits withMaxConcurrentStreams(int n) {
        return new ProxyLimits(maxConnections, maxHeaderSize, maxRequestLine, headerTimeout, idleTimeout, n,
                upstreamConnections, upstreamIdleTimeout, connectTimeout);
    }

    public ProxyLimits withUpstreamConnections(int n) {
        return new ProxyLimits(maxConnections, maxHeaderSize, maxRequestLine, headerTimeout, idleTimeout,
                maxConcurrentStreams, n, upstreamIdleTimeout, connectTimeout);
    }

    public ProxyLimits withUpstreamIdleTimeout(Duration d) {
        return new ProxyLimits(maxConnections, maxHeaderSize, maxRequestLine, headerTimeout, idleTimeout,
                maxConcurrentStreams, upstreamConnections, d, connectTimeout);
    }

    public ProxyLimits withConnectTimeout(Duration d) {
        return new ProxyLimits(maxConnections, maxHeaderSize, maxRequestLine, headerTimeout, idleTimeout,
                maxConcurrentStreams, upstreamConnections, upstreamIdleTimeout, d);
    }
}
