package io.weft.sidecar.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.weft.sidecar.flow.ReadOnDemand;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.weft.sidecar.ProxyLimits;
import io.weft.sidecar.proxy.DownstreamHandler;
import io.weft.sidecar.proxy.DrainEvent;
import io.weft.sidecar.proxy.ProxyContext;
import io.weft.sidecar.proxy.RequestHeadTimeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The handlers of each downstream protocol. Both end in a {@link DownstreamHandler} that sees
 * {@code HttpObject}s, so one exchange implementation serves HTTP/1.1 connections and HTTP/2 streams alike.
 */
final class DownstreamProtocols {

    private static final Logger log = LoggerFactory.getLogger(DownstreamProtocols.class);
    private static final int MAX_CHUNK_SIZE = 8192;

    private final ProxyContext proxy;
    private final ProxyLimits limits;
    private final Duration drainTimeout;

    DownstreamProtocols(ProxyContext proxy, ProxyLimits limits, Duration drainTimeout) {
        this.proxy = proxy;
        this.limits = limits;
        this.drainTimeout = drainTimeout;
    }

    /** HTTP/1.1: one request at a time, read on demand. */
    void http1(ChannelPipeline p, String after) {
        p.channel().config().setAutoRead(false);
        p.addAfter(after, "head-timeout", new RequestHeadTimeout(limits.headerTimeout().toNanos()));
        p.addAfter("head-timeout", "http-codec", new HttpServerCodec(limits.maxRequestLine(), limits.maxHeaderSize(), MAX_CHUNK_SIZE));
        p.addAfter("http-codec", "flow", new ReadOnDemand());
        p.addAfter("flow", "expect-continue", new HttpServerExpectContinueHandler());
        p.addAfter("expect-continue", "exchange", new DownstreamHandler(proxy, false));
    }

    /** HTTP/2 (h2c prior knowledge): each stream a child channel with its own exchange. */
    void http2(ChannelPipeline p, String after) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxConcurrentStreams())
                        .maxHeaderListSize(limits.maxHeaderSize()))
                // On close (drain): GOAWAY, then wait this long for open streams to finish.
                .gracefulShutdownTimeoutMillis(drainTimeout.toMillis())
                .build();
        p.addAfter(after, "h2", codec);
        p.addAfter("h2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.config().setOption(ChannelOption.AUTO_READ, false);
                ch.pipeline().addLast("request-line", Http2RequestLineGuard.INSTANCE);
                ch.pipeline().addLast("http-codec", new Http2StreamFrameToHttpObjectCodec(true));
                ch.pipeline().addLast("flow", new ReadOnDemand());
                ch.pipeline().addLast("exchange", new DownstreamHandler(proxy, true));
            }
        }));
        p.addAfter("streams", "h2-lifecycle", new Http2Lifecycle(codec, limits.idleTimeout().toNanos()));
    }

    /**
     * Closes an HTTP/2 connection that has had no stream open for the idle timeout, or that drains; the codec's close
     * sends GOAWAY first. Idle means without streams, as in Envoy: frames that open none (PINGs, SETTINGS, headers
     * that never end) do not keep a connection, while the read-or-write idle timer of the pipeline would let them.
     */
    private static final class Http2Lifecycle extends ChannelInboundHandlerAdapter {
        private final Http2FrameCodec codec;
        private final long idleNanos;
        private ScheduledFuture<?> idleClose;

        Http2Lifecycle(Http2FrameCodec codec, long idleNanos) {
            this.codec = codec;
            this.idleNanos = idleNanos;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            codec.connection().addListener(new Http2ConnectionAdapter() {
                @Override
                public void onStreamActive(Http2Stream stream) {
                    cancelIdleClose();
                }

                @Override
                public void onStreamClosed(Http2Stream stream) {
                    if (codec.connection().numActiveStreams() == 0) {
                        scheduleIdleClose(ctx);
                    }
                }
            });
            scheduleIdleClose(ctx);
        }

        private void scheduleIdleClose(ChannelHandlerContext ctx) {
            cancelIdleClose();
            idleClose = ctx.executor().schedule(() -> {
                if (codec.connection().numActiveStreams() == 0) {
                    ctx.close();
                }
            }, idleNanos, TimeUnit.NANOSECONDS);
        }

        private void cancelIdleClose() {
            if (idleClose != null) {
                idleClose.cancel(false);
                idleClose = null;
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == DrainEvent.INSTANCE) {
                ctx.close();
                return;
            }
            if (evt instanceof IdleStateEvent) {
                return; // idleness is counted by streams here
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelIdleClose();
            super.channelInactive(ctx);
        }

        /** What the codec passes on is the connection's end (a client's reset, a TLS error): nothing to report. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("downstream HTTP/2 connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
