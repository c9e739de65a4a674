package io.weft.api;

import java.util.List;
import java.util.function.Consumer;

/**
 * A source of endpoints for services, beside the static endpoints of the config (a registry, DNS, a file).
 * The runtime merges what every source reports with the static endpoints of each service.
 */
public interface DiscoverySource {

    /**
     * Starts watching a service. The listener is called with the full current list of endpoints whenever it
     * changes (and once when it is first known), from any thread; calls for one service are not concurrent.
     *
     * @return a handle that stops the watch when closed
     */
    AutoCloseable watch(ServiceName service, Consumer<List<Endpoint>> listener);
}
