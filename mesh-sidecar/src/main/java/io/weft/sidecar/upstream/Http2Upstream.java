package io.weft.sidecar.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.weft.sidecar.flow.ReadOnDemand;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.ConnectException;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection from one event loop to one endpoint, cleartext with prior knowledge (h2c) or, for a
 * destination that takes mTLS, over TLS with {@code h2} agreed by ALPN; each exchange is a stream on it, and
 * streams beyond the server's concurrency limit wait for their turn. A connection that received GOAWAY, or closed,
 * is replaced on the next exchange. Single-threaded.
 */
final class Http2Upstream implements UpstreamPool {

    private final EventLoop loop;
    private final UpstreamDialer dialer;
    private final Bootstrap bootstrap;
    private Future<Channel> connection;
    private boolean closed;

    Http2Upstream(UpstreamDialer dialer, long idleNanos) {
        this.loop = dialer.loop();
        this.dialer = dialer;
        this.bootstrap = dialer.bootstrap(true, p -> {
            Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
                    .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                    // Streams beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS wait in the codec for one to end,
                    // rather than fail ("maximum active streams violated") and count against a healthy endpoint.
                    .encoderEnforceMaxConcurrentStreams(true)
                    .build();
            p.addLast("idle", new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
            p.addLast("h2", codec);
            p.addLast("streams", new Http2MultiplexHandler(NoPushedStreams.INSTANCE));
            p.addLast("idle-close", new CloseWhenIdle(codec));
            p.addLast("peer-settings", new PeerSettings(p.channel().eventLoop().newPromise()));
        });
    }

    @Override
    public Future<UpstreamLease> acquire() {
        Promise<UpstreamLease> promise = loop.newPromise();
        if (closed) {
            return promise.setFailure(new ConnectException("sidecar is shutting down"));
        }
        connection().addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            new Http2StreamChannelBootstrap((Channel) f.getNow())
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel ch) {
                            ch.pipeline().addLast("http-codec", new Http2StreamFrameToHttpObjectCodec(false));
                            ch.pipeline().addLast("flow", new ReadOnDemand());
                            ch.pipeline().addLast("upstream", new UpstreamHandler());
                        }
                    })
                    .open()
                    .addListener(s -> {
                        if (s.isSuccess()) {
                            if (!promise.trySuccess(new StreamLease((Http2StreamChannel) s.getNow()))) {
                                ((Channel) s.getNow()).close();
                            }
                        } else {
                            // No stream, nothing sent: for the engine this is a request that never left.
                            ConnectException e = new ConnectException("cannot open an HTTP/2 stream: " + s.cause());
                            e.initCause(s.cause());
                            promise.tryFailure(e);
                        }
                    });
        });
        return promise;
    }

    private Future<Channel> connection() {
        if (connection != null && (!connection.isDone() || usable(connection))) {
            return connection;
        }
        connection = afterPeerSettings(dialer.ready(bootstrap.connect()));
        return connection;
    }

    /**
     * A connection carries streams once the server's SETTINGS are in, as grpc-java's transports do: before, its
     * SETTINGS_MAX_CONCURRENT_STREAMS is unknown, and streams opened beyond it would be refused.
     */
    private Future<Channel> afterPeerSettings(Future<Channel> ready) {
        Promise<Channel> usable = loop.newPromise();
        ready.addListener(r -> {
            if (!r.isSuccess()) {
                usable.tryFailure(r.cause());
                return;
            }
            Channel ch = (Channel) r.getNow();
            ScheduledFuture<?> deadline = loop.schedule(() -> {
                if (usable.tryFailure(new ConnectException("no HTTP/2 SETTINGS from " + ch.remoteAddress() + " within "
                        + dialer.connectTimeoutMillis() + " ms"))) {
                    ch.close();
                }
            }, dialer.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            ch.pipeline().get(PeerSettings.class).received.addListener(s -> {
                deadline.cancel(false);
                if (s.isSuccess()) {
                    usable.trySuccess(ch);
                } else {
                    usable.tryFailure(s.cause());
                }
            });
        });
        return usable;
    }

    private static boolean usable(Future<Channel> f) {
        if (!f.isSuccess() || !f.getNow().isActive()) {
            return false;
        }
        Http2FrameCodec codec = f.getNow().pipeline().get(Http2FrameCodec.class);
        return codec != null && !codec.connection().goAwayReceived();
    }

    @Override
    public void close() {
        closed = true;
        if (connection != null && connection.isSuccess()) {
            connection.getNow().close();
        }
    }

    /** Pushed streams are refused by settings; anything that still arrives is dropped. */
    @ChannelHandler.Sharable
    private static final class NoPushedStreams extends ChannelInboundHandlerAdapter {
        static final NoPushedStreams INSTANCE = new NoPushedStreams();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    /** Closes the connection once it has had no stream for the idle timeout. */
    private static final class CloseWhenIdle extends ChannelInboundHandlerAdapter {
        private final Http2FrameCodec codec;

        CloseWhenIdle(Http2FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent && codec.connection().numActiveStreams() == 0) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        /** The connection's end (a reset, a TLS error); its streams' exchanges learn it from their own close. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Completes when the server's first SETTINGS frame arrives; fails if the connection ends first. */
    private static final class PeerSettings extends ChannelInboundHandlerAdapter {
        final Promise<Void> received;

        PeerSettings(Promise<Void> received) {
            this.received = received;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame) {
                received.trySuccess(null);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.tryFailure(new ConnectException("the HTTP/2 connection to " + ctx.channel().remoteAddress()
                    + " closed before the server's SETTINGS"));
            ctx.fireChannelInactive();
        }
    }

    private static final class StreamLease implements UpstreamLease {
        private final Http2StreamChannel stream;
        private boolean done;

        StreamLease(Http2StreamChannel stream) {
            this.stream = stream;
        }

        @Override
        public Channel channel() {
            return stream;
        }

        @Override
        public UpstreamProtocol protocol() {
            return UpstreamProtocol.HTTP_2;
        }

        @Override
        public void listen(UpstreamListener listener) {
            stream.pipeline().get(UpstreamHandler.class).listener(listener);
        }

        @Override
        public void release(boolean reusable) {
            if (!done) {
                done = true;
                stream.pipeline().get(UpstreamHandler.class).listener(null);
                // A finished stream is already closed; an unfinished one is reset (CANCEL).
                stream.close();
            }
        }

        @Override
        public void detach() {
            done = true;
        }
    }
}
