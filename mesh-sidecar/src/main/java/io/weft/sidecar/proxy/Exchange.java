package io.weft.sidecar.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.CallCancelledException;
import io.weft.sidecar.upstream.UpstreamLease;
import io.weft.sidecar.upstream.UpstreamProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One request and its response, from the head read off the downstream (an HTTP/1.1 connection or an HTTP/2
 * stream) to the last byte written back. The router decides where it goes; each attempt is an
 * {@link UpstreamAttempt}; the body goes up and the response body comes down through {@link BodyPump}s, so the
 * exchange holds no more than a message part at a time. Everything runs on the downstream's event loop.
 */
final class Exchange {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private final DownstreamHandler owner;
    private final ProxyContext proxy;
    private final Channel downstream;
    private final HttpRequest request;
    private final boolean http2;
    private final boolean bodyless;
    private final boolean websocket;
    private final boolean grpc;
    private UpstreamAttempt attempt;
    private BodyPump requestBody;
    private BodyPump responseBody;
    private boolean requestDone;
    private boolean responseDone;
    private boolean keepAlive;
    private boolean ended;

    Exchange(DownstreamHandler owner, ProxyContext proxy, Channel downstream, HttpRequest request, boolean http2,
             boolean bodyless) {
        this.owner = owner;
        this.proxy = proxy;
        this.downstream = downstream;
        this.request = request;
        this.http2 = http2;
        this.bodyless = bodyless;
        this.requestDone = bodyless;
        this.websocket = !http2 && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        this.grpc = contentType != null && contentType.startsWith("application/grpc");
        this.keepAlive = !http2 && HttpUtil.isKeepAlive(request);
    }

    boolean bodyless() {
        return bodyless;
    }

    /** The whole request has gone to the current attempt's connection. */
    boolean requestSent() {
        return requestDone;
    }

    void start() {
        proxy.inFlight().enter();
        CompletableFuture<ProxyResponse> result;
        try {
            result = proxy.router().route(request, downstream, new ProxyTransport(this));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((r, e) -> onLoop(() -> onResult(r, e)));
    }

    void onLoop(Runnable task) {
        if (downstream.eventLoop().inEventLoop()) {
            task.run();
        } else {
            downstream.eventLoop().execute(task);
        }
    }

    // ---- attempts (the engine calls send from any thread; everything below runs on the loop)

    CompletableFuture<ProxyResponse> send(Attempt a) {
        CompletableFuture<ProxyResponse> result = new CompletableFuture<>();
        onLoop(() -> beginAttempt(a, result));
        return result;
    }

    @SuppressWarnings("unchecked")
    private void beginAttempt(Attempt a, CompletableFuture<ProxyResponse> result) {
        if (ended) {
            result.completeExceptionally(new CallCancelledException("the client went away"));
            return;
        }
        if (attempt != null) {
            attempt.abandon();
        }
        UpstreamAttempt at = new UpstreamAttempt(this, a, result);
        attempt = at;
        at.startTimer(downstream.eventLoop());
        proxy.connector().acquire(downstream.eventLoop(), a.endpoint(),
                        http2 ? UpstreamProtocol.HTTP_2 : UpstreamProtocol.HTTP_1_1, a.tls())
                .addListener(f -> at.onLease((Future<UpstreamLease>) f));
    }

    HttpRequest upstreamHead(Attempt a) {
        return UpstreamRequestHead.of(request, a.endpoint(), a.headers(), bodyless, websocket);
    }

    /** The attempt's head is out: stream the request body to it, as fast as its connection takes it. */
    void startRequestBody(UpstreamAttempt at) {
        if (bodyless || ended) {
            return;
        }
        requestBody = new BodyPump(downstream, at.channel(), proxy.meter(), () -> {
            requestDone = true;
            maybeEnd();
        });
        requestBody.start();
    }

    void onRequestContent(HttpContent content) {
        if (requestBody != null) {
            requestBody.onContent(content);
        } else {
            content.release();
        }
    }

    void onUpstreamWritabilityChanged(UpstreamAttempt at) {
        if (requestBody != null && at.owns(requestBody.sink())) {
            requestBody.onSinkWritabilityChanged();
        }
    }

    void onDownstreamWritabilityChanged() {
        if (responseBody != null) {
            responseBody.onSinkWritabilityChanged();
        }
    }

    void onAttemptFailed(UpstreamAttempt at) {
        if (requestBody != null && at.owns(requestBody.sink())) {
            requestBody.stop(); // part of the body went to a dead connection: it cannot be sent again
        }
    }

    /** The upstream connection closed after its response head was kept. */
    void onUpstreamClosed(UpstreamAttempt at) {
        if (ended || at != attempt) {
            return;
        }
        if (responseDone) {
            requestDone = true; // the answer is out; the rest of the request no longer matters
            end(false);
        } else {
            abort(); // a response cut short: the client must see the connection (or stream) fail
        }
    }

    // ---- the outcome

    private void onResult(ProxyResponse response, Throwable failure) {
        if (ended) {
            if (response instanceof ProxyResponse.Upstream upstream) {
                upstream.attempt().abandon();
            }
            return;
        }
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (!(cause instanceof IOException)) {
                log.warn("{} {}: the call failed unexpectedly", request.method(), request.uri(), cause);
            }
            replyLocally(LocalResponses.forFailure(cause));
        } else if (response instanceof ProxyResponse.Local local) {
            replyLocally(local);
        } else {
            relay(((ProxyResponse.Upstream) response).attempt());
        }
    }

    private void replyLocally(ProxyResponse.Local reply) {
        if (attempt != null) {
            attempt.abandon();
        }
        if (requestBody != null) {
            requestBody.stop();
        }
        boolean keep = keepAlive && requestDone && !proxy.draining().getAsBoolean();
        downstream.writeAndFlush(LocalResponses.toHttp(reply, grpc, keep, downstream.alloc()));
        responseDone = true;
        end(keep);
    }

    private void relay(UpstreamAttempt at) {
        attempt = at;
        if (websocket && at.head().status().code() == 101) {
            upgrade(at);
            return;
        }
        keepAlive = keepAlive && !proxy.draining().getAsBoolean();
        HttpResponse head = DownstreamResponseHead.of(at.head(), request.method(), http2, keepAlive);
        if (head instanceof FullHttpResponse) {
            // An HTTP/2 response that ended with its headers (a gRPC trailers-only status): nothing follows.
            at.responseComplete();
            downstream.writeAndFlush(head);
            responseDone = true;
            maybeEnd();
            return;
        }
        downstream.write(head);
        responseBody = new BodyPump(at.channel(), downstream, proxy.meter(), () -> {
            at.responseComplete();
            responseDone = true;
            maybeEnd();
        });
        at.relayTo(responseBody);
        flushSoon(downstream);
    }

    /**
     * Flushes once this event loop is done with what it is doing now. A head written without a flush then leaves
     * with the first body part when that part came in the same read (one write to the socket, not two), and alone
     * when it did not. Upstream and downstream share the loop, so nothing waits longer than this read.
     */
    static void flushSoon(Channel ch) {
        ch.eventLoop().execute(ch::flush);
    }

    /** WebSocket: pass the 101 on, then stop speaking HTTP and copy bytes both ways until either side closes. */
    private void upgrade(UpstreamAttempt at) {
        HttpResponse head = at.head();
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        Channel upstream = at.detach();
        ended = true;
        owner.exchangeUpgraded();
        // Counted in flight until both connections are closed, so a drain waits for it (up to its deadline).
        downstream.closeFuture().addListener(c -> upstream.close());
        upstream.closeFuture().addListener(c -> downstream.close());
        downstream.closeFuture().addListener(c -> proxy.inFlight().exit());
        downstream.writeAndFlush(head).addListener(f -> {
            if (f.isSuccess()) {
                Splice.join(downstream, upstream);
            } else {
                downstream.close();
            }
        });
    }

    private void maybeEnd() {
        if (requestDone && responseDone) {
            end(keepAlive);
        }
    }

    private void end(boolean keepConnection) {
        if (ended) {
            return;
        }
        ended = true;
        if (attempt != null) {
            attempt.finish(requestDone && responseDone);
        }
        proxy.inFlight().exit();
        owner.exchangeEnded(keepConnection && requestDone && !proxy.draining().getAsBoolean());
    }

    /** The downstream went away, or the upstream failed mid-response: nothing more can be said on it. */
    void abort() {
        if (ended) {
            return;
        }
        ended = true;
        if (requestBody != null) {
            requestBody.stop();
        }
        if (responseBody != null) {
            responseBody.stop();
        }
        if (attempt != null) {
            attempt.abandon();
        }
        proxy.inFlight().exit();
        owner.exchangeAborted();
    }
}
