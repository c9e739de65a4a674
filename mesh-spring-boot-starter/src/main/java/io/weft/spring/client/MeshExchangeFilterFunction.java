package io.weft.spring.client;

import io.weft.api.MeshResponse;
import io.weft.runtime.engine.AsyncTransport;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.LocalReply;
import io.weft.runtime.engine.MeshCall;
import io.weft.runtime.engine.MeshEngine;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import reactor.core.publisher.Mono;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Puts a {@code WebClient} in the mesh without blocking a thread: requests to {@code http://<service>/…} run through
 * the engine's non-blocking driver, and each attempt is the rest of the exchange with the URL pointed at the chosen
 * endpoint. The route is chosen when the response is subscribed to, as WebClient sends nothing before. A body is
 * sent again on a retry by inserting it again, as WebClient's own {@code retry()} does; a body from a publisher that
 * can be subscribed only once must not be retried. Other hosts pass through untouched.
 *
 * <p>mTLS: an attempt to a service that takes mTLS ({@code attempt.tls() != null}) goes through an exchange function
 * over a JDK client made for the destination ({@link MeshMtlsClients}) instead of {@code next}, as the app's
 * connector cannot present this workload's certificate. Filters added after this one do not run for it, and its
 * bodies are written and read with the strategies given here (the starter gives Boot's codecs).
 */
public final class MeshExchangeFilterFunction implements ExchangeFilterFunction {

    private final MeshEngine engine;
    private final MtlsExchanges mtls;

    /** mTLS attempts go through {@link MeshMtlsClients#defaults()} with WebClient's default codecs. */
    public MeshExchangeFilterFunction(MeshEngine engine) {
        this(engine, MeshMtlsClients.defaults(), ExchangeStrategies.withDefaults());
    }

    /** @param strategies the codecs of mTLS attempts, which do not pass through the WebClient's own exchange */
    public MeshExchangeFilterFunction(MeshEngine engine, MeshMtlsClients mtlsClients, ExchangeStrategies strategies) {
        this.engine = engine;
        this.mtls = new MtlsExchanges(mtlsClients, strategies);
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.defer(() -> {
            MeshCall call = engine.newCall(request.url().getHost(), new ClientRequestView(request));
            if (call == null) {
                return next.exchange(request);
            }
            return Mono.fromFuture(() -> call.executeAsync(new ExchangeTransport(request, next, mtls)));
        });
    }

    /**
     * One attempt: the exchange of the request pointed at the endpoint (through the destination's mTLS exchange
     * when the attempt is mTLS), bounded by the attempt's timeout.
     */
    private record ExchangeTransport(ClientRequest request, ExchangeFunction next, MtlsExchanges mtls)
            implements AsyncTransport<ClientResponse> {

        @Override
        public CompletableFuture<ClientResponse> send(Attempt attempt) {
            ClientRequest routed = ClientRequest.from(request)
                    .url(attempt.target(request.url()))
                    .headers(h -> attempt.headers().forEach(h::set))
                    .build();
            ExchangeFunction via = attempt.tls() == null ? next : mtls.forDestination(attempt.tls());
            Mono<ClientResponse> exchange = via.exchange(routed);
            long timeout = attempt.timeoutMillis();
            if (timeout > 0) {
                // A socket timeout, so the engine and the app see the kind of failure they know from other clients.
                exchange = exchange.timeout(Duration.ofMillis(timeout), Mono.error(() -> new SocketTimeoutException(
                        "weft: attempt to " + attempt.endpoint().address() + " timed out after " + timeout + " ms")));
            }
            return exchange.toFuture();
        }

        @Override
        public int status(ClientResponse response) {
            return response.statusCode().value();
        }

        @Override
        public void discard(ClientResponse response) {
            response.releaseBody().subscribe();
        }

        @Override
        public ClientResponse localReply(LocalReply reply) {
            return ClientResponse.create(HttpStatusCode.valueOf(reply.status()))
                    .header(MeshResponse.LOCAL_REPLY_HEADER, reply.reason())
                    .header(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8")
                    .body(reply.message() + "\n")
                    .build();
        }
    }
}
