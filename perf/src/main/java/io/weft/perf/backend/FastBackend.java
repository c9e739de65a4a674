package io.weft.perf.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The backend of every load scenario: HTTP/1.1 with keep-alive and h2c (prior knowledge) on the same port, a fixed
 * 2-byte body, no work, so that what is measured is the client side (raw, meshed, proxied) and never this server.
 * h2c matters for the sidecar, which speaks to an upstream the protocol its client spoke.
 *
 * <pre>java -cp weft-perf.jar io.weft.perf.backend.FastBackend [port] [threads]</pre>
 * prints {@code READY <port>} once it listens on 127.0.0.1.
 */
public final class FastBackend implements AutoCloseable {

    private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group;
    private final Channel channel;

    private FastBackend(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    public static FastBackend start(int port, int threads) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(threads);
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new ProtocolChoice());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
            return new FastBackend(group, ch);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** HTTP/2 with prior knowledge when a connection starts with the preface, HTTP/1.1 otherwise. */
    private static final class ProtocolChoice extends ByteToMessageDecoder {
        private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
            boolean h2 = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n);
            if (h2 && n < PREFACE.readableBytes()) {
                return; // not decided yet
            }
            ChannelPipeline p = ctx.pipeline();
            if (h2) {
                p.addAfter(ctx.name(), "h2", Http2FrameCodecBuilder.forServer().build());
                p.addAfter("h2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), Answer.INSTANCE);
                    }
                }));
            } else {
                p.addAfter(ctx.name(), "http", new HttpServerCodec());
                p.addAfter("http", "keep-alive", new HttpServerKeepAliveHandler());
                p.addAfter("keep-alive", "answer", Answer.INSTANCE);
            }
            p.remove(this); // hands on what it holds
        }
    }

    /** Answers each request once its last content arrived; the keep-alive handler manages the connection. */
    @ChannelHandler.Sharable
    private static final class Answer extends SimpleChannelInboundHandler<HttpObject> {
        static final Answer INSTANCE = new Answer();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request && !request.decoderResult().isSuccess()) {
                ctx.writeAndFlush(response(HttpResponseStatus.BAD_REQUEST)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (msg instanceof LastHttpContent) {
                ctx.writeAndFlush(response(HttpResponseStatus.OK));
            }
        }

        private static FullHttpResponse response(HttpResponseStatus status) {
            ByteBuf body = Unpooled.wrappedBuffer(BODY);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        FastBackend backend = start(port, threads);
        System.out.println("READY " + backend.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        Thread.currentThread().join();
    }
}
