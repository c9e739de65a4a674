package io.weft.control.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs an endpoint that may block, a write to a remote store, on a thread of its own: the event loop it came on
 * also carries thousands of held long polls, and must never wait on the network.
 */
final class OffloadedEndpoint implements Endpoint {

    private final Endpoint endpoint;
    private final Executor executor;

    OffloadedEndpoint(Endpoint endpoint, Executor executor) {
        this.endpoint = endpoint;
        this.executor = executor;
    }

    @Override
    public void handle(Exchange exchange) throws ApiException {
        Exchange detached = exchange.detach();
        try {
            executor.execute(() -> run(detached));
        } catch (RejectedExecutionException e) {
            detached.release();
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many writes in progress; retry",
                    Map.of("Retry-After", "1"));
        }
    }

    private void run(Exchange exchange) {
        try {
            endpoint.handle(exchange);
        } catch (ApiException | RuntimeException e) {
            exchange.fail(e);
        } finally {
            exchange.release();
        }
    }
}
