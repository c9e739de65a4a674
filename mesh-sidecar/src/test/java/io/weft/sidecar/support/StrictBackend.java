package io.weft.sidecar.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend that holds the proxy to the RFCs (the app behind the fuzzed listeners): HTTP/1.1 and h2c (prior knowledge) on 127.0.0.1, answering {@code 200 ok} to
 * every request that {@link StrictRequestRules} accepts and {@code 400 backend-rejected: <why>} (then closing) to
 * the others, so that a malformed request the proxy passed on shows in the answer its client gets.
 */
public final class StrictBackend implements AutoCloseable {

    public static final String REJECTED = "backend-rejected: ";
    private static final int MAX_BODY = 64 * 1024;

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("strict-backend", true));
    private final AtomicLong http1Requests = new AtomicLong();
    private final Channel server;

    private StrictBackend() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        HttpServerCodec codec = new HttpServerCodec();
                        // Prior knowledge only: an Upgrade header is the proxy's mistake, never a reason to switch.
                        ch.pipeline().addLast(new CleartextHttp2ServerUpgradeHandler(codec,
                                new HttpServerUpgradeHandler(codec, protocol -> null), http2()));
                        answers(ch.pipeline(), false);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public static StrictBackend start() throws InterruptedException {
        return new StrictBackend();
    }

    public int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * HTTP/1.1 requests read in full so far, accepted or not. HTTP/2 ones are not counted: the proxy speaks upstream
     * what its client spoke, and an HTTP/2 stream cut off with its client's connection may still arrive here after
     * that connection has gone, when the next client is already being counted.
     */
    public long http1Requests() {
        return http1Requests.get();
    }

    private ChannelInitializer<Channel> http2() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build());
                ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                        answers(stream.pipeline(), true);
                    }
                }));
                // What the codec passes on has been answered already (RST_STREAM or GOAWAY), often a race with a stream
                // the proxy reset because its client went away: shown, not a warning to count against the proxy.
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        System.out.println("strict backend: HTTP/2 error on a connection from the proxy: " + cause);
                    }
                });
            }
        };
    }

    private void answers(ChannelPipeline p, boolean http2) {
        p.addLast(new HttpObjectAggregator(MAX_BODY));
        p.addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                if (!http2) {
                    http1Requests.incrementAndGet();
                }
                String problem = request.decoderResult().isFailure()
                        ? "undecodable: " + request.decoderResult().cause()
                        : StrictRequestRules.problem(request, http2);
                boolean keepAlive = problem == null && (http2 || HttpUtil.isKeepAlive(request));
                FullHttpResponse r = response(problem == null ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST,
                        problem == null ? "ok" : REJECTED + problem);
                HttpUtil.setKeepAlive(r, keepAlive);
                ctx.writeAndFlush(r).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }

    private static FullHttpResponse response(HttpResponseStatus status, String text) {
        ByteBuf body = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
