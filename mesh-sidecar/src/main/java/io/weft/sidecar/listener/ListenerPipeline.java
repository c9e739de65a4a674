package io.weft.sidecar.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.weft.sidecar.ProxyLimits;

import java.util.concurrent.TimeUnit;

/**
 * The one place a listener's connection pipeline is assembled, in order:
 * <pre>
 *   connection limit  idle timeout  [tls]  protocol detection ─▶ HTTP/1.1 | HTTP/2 handlers
 * </pre>
 * {@code tls} is what {@link DownstreamTls} chose for this connection: an {@link SslHandler}, or a detector that
 * becomes one when the first bytes are a TLS record (and goes away otherwise); a refused connection is closed
 * before anything else happens. Protocol detection stays on the connection preface with TLS too: it reads the
 * decrypted bytes, and a client that agreed {@code h2} by ALPN sends the preface as one with prior knowledge does.
 */
final class ListenerPipeline extends ChannelInitializer<Channel> {

    private final ConnectionTracker tracker;
    private final ProxyLimits limits;
    private final DownstreamProtocols protocols;
    private final DownstreamTls tls;

    ListenerPipeline(ConnectionTracker tracker, ProxyLimits limits, DownstreamProtocols protocols, DownstreamTls tls) {
        this.tracker = tracker;
        this.limits = limits;
        this.protocols = protocols;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        DownstreamTls.Choice choice = tls.forNewConnection();
        if (choice.kind() == DownstreamTls.Kind.REFUSE) {
            ch.close(); // whoever refused has said why
            return;
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast("connections", tracker);
        p.addLast("idle", new IdleStateHandler(0, 0, limits.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        switch (choice.kind()) {
            case TLS -> p.addLast("tls", boundHandshake(choice.context().newHandler(ch.alloc())));
            case TLS_OR_PLAINTEXT -> p.addLast("tls", new TlsOrPlaintext(choice.context()));
            default -> {
                // plaintext
            }
        }
        p.addLast("detect", new ProtocolDetector(protocols, limits.headerTimeout()));
    }

    /** A handshake gets as long as a request head: a client that starts one and stalls is a slowloris too. */
    private SslHandler boundHandshake(SslHandler handler) {
        handler.setHandshakeTimeoutMillis(limits.headerTimeout().toMillis());
        return handler;
    }

    /** Netty's detection of a TLS record, with the same handler name and handshake bound as TLS-only connections. */
    private final class TlsOrPlaintext extends OptionalSslHandler {

        TlsOrPlaintext(SslContext context) {
            super(context);
        }

        @Override
        protected SslHandler newSslHandler(ChannelHandlerContext ctx, SslContext context) {
            return boundHandshake(super.newSslHandler(ctx, context));
        }

        @Override
        protected String newSslHandlerName() {
            return "tls";
        }
    }
}
