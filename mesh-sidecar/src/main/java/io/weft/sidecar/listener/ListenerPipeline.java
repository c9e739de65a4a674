package io.weft.sidecar.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.weft.sidecar.ProxyLimits;

import java.util.concurrent.TimeUnit;

/**
 * The one place a listener's connection pipeline is assembled, in order:
 * <pre>
 *   [tls: SslHandler, with mTLS]  connection limit  idle timeout  protocol detection ─▶ HTTP/1.1 | HTTP/2 handlers
 * </pre>
 * mTLS will add its SslHandler at the front here, and protocol detection will then read ALPN instead of the
 * preface.
 */
final class ListenerPipeline extends ChannelInitializer<Channel> {

    private final ConnectionTracker tracker;
    private final ProxyLimits limits;
    private final DownstreamProtocols protocols;

    ListenerPipeline(ConnectionTracker tracker, ProxyLimits limits, DownstreamProtocols protocols) {
        this.tracker = tracker;
        this.limits = limits;
        this.protocols = protocols;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("connections", tracker);
        p.addLast("idle", new IdleStateHandler(0, 0, limits.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        p.addLast("detect", new ProtocolDetector(protocols));
    }
}
