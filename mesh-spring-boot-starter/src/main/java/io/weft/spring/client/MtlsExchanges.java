package io.weft.spring.client;

import io.weft.runtime.security.UpstreamTls;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.ExchangeFunctions;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exchange functions WebClient's mTLS attempts go through instead of the rest of the filter chain: one per
 * destination's JDK client twin ({@link MeshMtlsClients}), whose connector presents this workload's certificate.
 * Bodies are written and read with {@code strategies}: the starter passes Boot's codec configuration, as
 * WebClient's own exchange function cannot be reached from a filter.
 */
final class MtlsExchanges {

    private final MeshMtlsClients clients;
    private final ExchangeStrategies strategies;
    private final Map<HttpClient, ExchangeFunction> functions = new ConcurrentHashMap<>();

    MtlsExchanges(MeshMtlsClients clients, ExchangeStrategies strategies) {
        this.clients = clients;
        this.strategies = strategies;
    }

    ExchangeFunction forDestination(UpstreamTls tls) {
        return functions.computeIfAbsent(clients.client(tls),
                client -> ExchangeFunctions.create(new JdkClientHttpConnector(client), strategies));
    }
}
