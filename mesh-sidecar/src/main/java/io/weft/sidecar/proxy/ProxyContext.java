package io.weft.sidecar.proxy;

import io.weft.sidecar.upstream.UpstreamConnector;

import java.util.function.BooleanSupplier;

/**
 * What every exchange of one listener shares.
 *
 * @param router    where requests go: through the engine (outbound) or to the local app (inbound)
 * @param draining  true once the sidecar is draining: connections close after their current exchange
 */
public record ProxyContext(Router router, UpstreamConnector connector, BufferMeter meter, InFlight inFlight,
                           BooleanSupplier draining) {
}
