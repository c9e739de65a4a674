package io.weft.runtime.adapter.jdkhttp;

import io.weft.api.MeshResponse;
import io.weft.runtime.engine.AsyncTransport;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.LocalReply;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends each attempt with the app's own JDK client, to a copy of the request pointed at the chosen endpoint.
 * The JDK does not let a client set {@code Host}, so endpoints see their own address there.
 */
final class JdkAsyncTransport<T> implements AsyncTransport<HttpResponse<T>> {

    private final HttpClient client;
    private final HttpRequest request;
    private final HttpResponse.BodyHandler<T> handler;
    private final HttpResponse.PushPromiseHandler<T> pushHandler;

    JdkAsyncTransport(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler,
                      HttpResponse.PushPromiseHandler<T> pushHandler) {
        this.client = client;
        this.request = request;
        this.handler = handler;
        this.pushHandler = pushHandler;
    }

    @Override
    public CompletableFuture<HttpResponse<T>> send(Attempt attempt) {
        HttpRequest.Builder routed = HttpRequest.newBuilder(request, (name, value) -> true)
                .uri(attempt.target(request.uri()));
        attempt.headers().forEach(routed::setHeader);
        if (attempt.timeoutNanos() > 0) {
            Duration t = Duration.ofNanos(attempt.timeoutNanos());
            routed.timeout(request.timeout().filter(own -> own.compareTo(t) < 0).orElse(t));
        }
        HttpClient c = attempt.tls() == null ? client : MtlsHttpClients.of(client, attempt.tls());
        return pushHandler == null
                ? c.sendAsync(routed.build(), handler)
                : c.sendAsync(routed.build(), handler, pushHandler);
    }

    @Override
    public int status(HttpResponse<T> response) {
        return response.statusCode();
    }

    @Override
    public void discard(HttpResponse<T> response) {
        if (response.body() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // A retried response's stream; nothing to do if it will not close.
            }
        }
    }

    @Override
    public HttpResponse<T> localReply(LocalReply reply) {
        return LocalHttpResponse.of(request, reply, handler);
    }

    static String localReplyHeader() {
        return MeshResponse.LOCAL_REPLY_HEADER;
    }
}
