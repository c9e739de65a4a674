package io.weft.sidecar.proxy;

import io.weft.runtime.engine.AsyncTransport;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.LocalReply;

import java.util.concurrent.CompletableFuture;

/**
 * The engine's view of one exchange: each attempt goes upstream over Netty; a kept response is relayed by the
 * exchange, a discarded one is dropped with its connection. The body is replayable only when there is none: a
 * streamed body is read from the client once, so the engine retries only what surely never left.
 */
public final class ProxyTransport implements AsyncTransport<ProxyResponse> {

    private final Exchange exchange;

    ProxyTransport(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public CompletableFuture<ProxyResponse> send(Attempt attempt) {
        return exchange.send(attempt);
    }

    @Override
    public int status(ProxyResponse response) {
        return response.status();
    }

    @Override
    public void discard(ProxyResponse response) {
        if (response instanceof ProxyResponse.Upstream upstream) {
            exchange.onLoop(upstream.attempt()::abandon);
        }
    }

    @Override
    public ProxyResponse localReply(LocalReply reply) {
        return new ProxyResponse.Local(reply.status(), reply.reason(), reply.message());
    }

    @Override
    public boolean replayable() {
        return exchange.bodyless();
    }
}
