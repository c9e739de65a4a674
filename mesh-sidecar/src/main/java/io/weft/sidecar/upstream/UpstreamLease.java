package io.weft.sidecar.upstream;

import io.netty.channel.Channel;

/**
 * One exchange's use of an upstream channel. The channel speaks {@code HttpObject}s both ways whatever the wire
 * protocol: write the request, read the response. Release it exactly once.
 */
public interface UpstreamLease {

    Channel channel();

    UpstreamProtocol protocol();

    /** Receives the channel's events from now on. */
    void listen(UpstreamListener listener);

    /** Gives the channel back: kept for the next exchange when {@code reusable}, closed otherwise. */
    void release(boolean reusable);

    /**
     * Takes the connection out of the pool's hands for good (a WebSocket after its 101): the caller now owns the
     * raw connection and closes it.
     */
    void detach();
}
