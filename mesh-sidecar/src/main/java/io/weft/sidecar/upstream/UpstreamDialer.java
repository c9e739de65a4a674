package io.weft.sidecar.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.ConnectException;
import java.util.function.Consumer;

/**
 * Opens the connections of one pool: TCP to the endpoint, then, for a destination that takes mTLS, the TLS
 * handshake with the destination's context. A connection is lent only once it is ready, so a refused handshake
 * (wrong server identity, no common CA) or a server that does not agree to h2 is a connect failure for the engine:
 * nothing was sent, so the call may go to another endpoint, and never as plaintext.
 */
final class UpstreamDialer {

    private final EventLoop loop;
    private final String host;
    private final int port;
    private final int connectTimeoutMillis;
    private final SslContext tls;
    private final UpstreamProtocol protocol;

    /** @param tls the destination's client context; null for plaintext */
    UpstreamDialer(EventLoop loop, String host, int port, int connectTimeoutMillis, SslContext tls,
                   UpstreamProtocol protocol) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.tls = tls;
        this.protocol = protocol;
    }

    EventLoop loop() {
        return loop;
    }

    int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /** A bootstrap whose channels start with TLS (when the destination takes it), then {@code handlers}. */
    Bootstrap bootstrap(boolean autoRead, Consumer<ChannelPipeline> handlers) {
        return new Bootstrap().group(loop).channel(NioSocketChannel.class).remoteAddress(host, port)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, autoRead)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
                            ssl.setHandshakeTimeoutMillis(connectTimeoutMillis);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        handlers.accept(ch.pipeline());
                    }
                });
    }

    /** Completes with the channel once it can carry HTTP: connected and, with TLS, handshaken. */
    Future<Channel> ready(ChannelFuture connect) {
        Promise<Channel> ready = loop.newPromise();
        connect.addListener(c -> {
            if (!c.isSuccess()) {
                ready.tryFailure(c.cause());
                return;
            }
            Channel ch = connect.channel();
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                ready.trySuccess(ch);
                return;
            }
            ssl.handshakeFuture().addListener(h -> {
                if (!h.isSuccess()) {
                    ch.close();
                    ready.tryFailure(connectFailure("mTLS handshake with " + address() + " failed: "
                            + h.cause().getMessage(), h.cause()));
                } else if (protocol == UpstreamProtocol.HTTP_2
                        && !ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
                    ch.close();
                    ready.tryFailure(connectFailure(address() + " did not agree to HTTP/2 over TLS (ALPN h2; got "
                            + ssl.applicationProtocol() + ")", null));
                } else {
                    ready.trySuccess(ch);
                }
            });
        });
        return ready;
    }

    private String address() {
        return host + ":" + port;
    }

    private static ConnectException connectFailure(String message, Throwable cause) {
        ConnectException e = new ConnectException(message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
