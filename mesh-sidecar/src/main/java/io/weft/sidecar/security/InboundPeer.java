package io.weft.sidecar.security;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.weft.runtime.security.PeerIdentity;
import io.weft.runtime.security.SpiffeId;

/**
 * Who is at the other end of a downstream connection, as its TLS session proves it: read once per connection
 * (every request and HTTP/2 stream on it has the same caller).
 *
 * @param id   the caller's SPIFFE ID; null for plaintext (or a certificate without one)
 * @param mtls whether the connection is mutual TLS (the listener requires a client certificate on every TLS one)
 */
public record InboundPeer(SpiffeId id, boolean mtls) {

    static final InboundPeer PLAINTEXT = new InboundPeer(null, false);

    private static final AttributeKey<InboundPeer> KEY = AttributeKey.valueOf("weft.inbound.peer");

    /** @param downstream a connection, or an HTTP/2 stream of one */
    public static InboundPeer of(Channel downstream) {
        Channel connection = downstream instanceof Http2StreamChannel && downstream.parent() != null
                ? downstream.parent() : downstream;
        InboundPeer peer = connection.attr(KEY).get();
        if (peer != null) {
            return peer;
        }
        SslHandler ssl = connection.pipeline().get(SslHandler.class);
        if (ssl == null) {
            peer = PLAINTEXT;
        } else if (ssl.handshakeFuture().isSuccess()) {
            peer = new InboundPeer(PeerIdentity.of(ssl.engine().getSession()).orElse(null), true);
        } else {
            return PLAINTEXT; // no request arrives before the handshake; if one did, it is not mTLS (and not kept)
        }
        connection.attr(KEY).set(peer);
        return peer;
    }
}
