package io.weft.sidecar.upstream;

import io.netty.util.concurrent.Future;

/** The connections of one event loop to one endpoint in one protocol. Used only on that event loop. */
interface UpstreamPool {

    Future<UpstreamLease> acquire();

    void close();
}
