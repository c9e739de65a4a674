package io.weft.sidecar.upstream;

import io.netty.handler.codec.http.HttpObject;

/** Receives what happens on a leased upstream channel; all calls come on the channel's event loop. */
public interface UpstreamListener {

    /** A response head or body part; the listener owns (and must release or pass on) it. */
    void onMessage(HttpObject message);

    void onWritabilityChanged();

    /** The channel closed or failed; {@code cause} is null for a plain close. */
    void onClosed(Throwable cause);
}
