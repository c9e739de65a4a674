package io.weft.control.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's HTTP/1.1 server on Netty: a few event-loop threads carry every connection, including
 * thousands of held long polls. Request bodies are capped at 64 KiB. With {@link ApiTls}, every connection is
 * HTTPS (there is then no plain-HTTP port at all).
 */
public final class HttpServer implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Connections silent this long are closed; longer than the longest long poll, so never one that waits. */
    static final int IDLE_SECONDS = 120;

    private final String host;
    private final int port;
    private final EventLoopGroup group;
    private final RequestDispatcher dispatcher;
    private final ApiTls tls;
    private Channel serverChannel;

    public HttpServer(String host, int port, int threads, Router router) {
        this(host, port, threads, router, null);
    }

    /** @param tls the server certificate to serve HTTPS with, or null for plain HTTP */
    public HttpServer(String host, int port, int threads, Router router, ApiTls tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.dispatcher = new RequestDispatcher(router);
        // One group accepts and serves: accepting is rare next to serving, a separate thread would idle.
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("weft-control-http", true));
    }

    /** Binds and returns the port, which is the one chosen by the system when 0 was asked for. */
    public int start() {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.current().newHandler(ch.alloc()));
                        }
                        ch.pipeline()
                                .addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new JsonBodyTooLargeAggregator(MAX_BODY_BYTES))
                                .addLast(dispatcher);
                    }
                });
        try {
            serverChannel = bootstrap.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (e instanceof BindException be) {
                throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + be.getMessage(), be);
            }
            throw e;
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
