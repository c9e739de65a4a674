package io.weft.sidecar.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.weft.sidecar.ProxyLimits;
import io.weft.sidecar.proxy.ProxyContext;

import java.net.InetSocketAddress;
import java.time.Duration;

/** One bound port of the sidecar (outbound or inbound): accepts connections and hands them to its pipeline. */
public final class Listener {

    private final String name;
    private final Channel serverChannel;
    private final ConnectionTracker connections;

    private Listener(String name, Channel serverChannel, ConnectionTracker connections) {
        this.name = name;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    public static Listener bind(String name, String host, int port, EventLoopGroup boss, EventLoopGroup workers,
                                ProxyContext proxy, ProxyLimits limits, Duration drainTimeout, DownstreamTls tls)
            throws InterruptedException {
        ConnectionTracker tracker = new ConnectionTracker(name, limits.maxConnections());
        DownstreamProtocols protocols = new DownstreamProtocols(proxy, limits, drainTimeout);
        Channel ch = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ListenerPipeline(tracker, limits, protocols, tls))
                .bind(host, port).sync().channel();
        return new Listener(name, ch, tracker);
    }

    public String name() {
        return name;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    public ConnectionTracker connections() {
        return connections;
    }

    /** Stops accepting; open connections carry on. */
    public void stopAccepting() {
        serverChannel.close().awaitUninterruptibly();
    }
}
