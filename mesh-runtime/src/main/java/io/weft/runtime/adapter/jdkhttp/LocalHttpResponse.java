package io.weft.runtime.adapter.jdkhttp;

import io.weft.runtime.engine.LocalReply;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Flow;

/** A response the mesh makes itself, with its body produced by the app's own body handler. */
final class LocalHttpResponse<T> implements HttpResponse<T> {

    private final HttpRequest request;
    private final int status;
    private final HttpHeaders headers;
    private final T body;

    private LocalHttpResponse(HttpRequest request, int status, HttpHeaders headers, T body) {
        this.request = request;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    static <T> LocalHttpResponse<T> of(HttpRequest request, LocalReply reply, BodyHandler<T> handler) {
        HttpHeaders headers = HttpHeaders.of(Map.of(
                JdkAsyncTransport.localReplyHeader(), List.of(reply.reason()),
                "content-type", List.of("text/plain; charset=utf-8")), (n, v) -> true);
        ResponseInfo info = new ResponseInfo() {
            @Override
            public int statusCode() {
                return reply.status();
            }

            @Override
            public HttpHeaders headers() {
                return headers;
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
        BodySubscriber<T> subscriber = handler.apply(info);
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onNext(List.of(ByteBuffer.wrap((reply.message() + "\n").getBytes(StandardCharsets.UTF_8))));
        subscriber.onComplete();
        T body = subscriber.getBody().toCompletableFuture().join();
        return new LocalHttpResponse<>(request, reply.status(), headers, body);
    }

    @Override
    public int statusCode() {
        return status;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public T body() {
        return body;
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return Optional.empty();
    }

    @Override
    public URI uri() {
        return request.uri();
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }
}
