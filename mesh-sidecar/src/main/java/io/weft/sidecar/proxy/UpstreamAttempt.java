package io.weft.sidecar.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.CallCancelledException;
import io.weft.sidecar.upstream.UpstreamLease;
import io.weft.sidecar.upstream.UpstreamListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One try of an exchange against one endpoint: get a channel, send the head, wait (bounded by the try's timeout)
 * for the response head, which completes the future the engine waits on. If the engine keeps the response, the
 * exchange relays its body from here; otherwise it is abandoned with its connection. Runs on one event loop.
 */
public final class UpstreamAttempt implements UpstreamListener {

    private static final Logger log = LoggerFactory.getLogger(UpstreamAttempt.class);

    private enum State { CONNECTING, AWAITING_HEAD, HEAD_RECEIVED, RELAYING, COMPLETE, DONE }

    private final Exchange exchange;
    private final Attempt attempt;
    private final CompletableFuture<ProxyResponse> result;
    private State state = State.CONNECTING;
    private UpstreamLease lease;
    private HttpResponse head;
    private boolean upstreamKeepAlive;
    /**
     * The answer came before the whole request had been sent: the upstream may not read the rest of the body as the
     * body (a server that answered an expectation, or that stopped reading), so its connection is not used again.
     */
    private boolean answeredEarly;
    private boolean upstreamClosed;
    private ScheduledFuture<?> timeout;
    private BodyPump responseBody;

    UpstreamAttempt(Exchange exchange, Attempt attempt, CompletableFuture<ProxyResponse> result) {
        this.exchange = exchange;
        this.attempt = attempt;
        this.result = result;
    }

    /** The try's timeout runs from now: connecting counts. */
    void startTimer(EventLoop loop) {
        if (attempt.timeoutNanos() > 0) {
            timeout = loop.schedule(this::onTimeout, attempt.timeoutNanos(), TimeUnit.NANOSECONDS);
        }
    }

    HttpResponse head() {
        return head;
    }

    Channel channel() {
        return lease.channel();
    }

    void onLease(Future<UpstreamLease> f) {
        if (!f.isSuccess()) {
            fail(f.cause());
            return;
        }
        UpstreamLease l = f.getNow();
        if (state != State.CONNECTING) {
            l.release(true); // abandoned while connecting: nothing was written, the connection is as good as new
            return;
        }
        lease = l;
        l.listen(this);
        state = State.AWAITING_HEAD;
        Channel ch = l.channel();
        ch.write(exchange.upstreamHead(attempt)).addListener(w -> {
            if (!w.isSuccess()) {
                fail(w.cause());
            }
        });
        if (exchange.bodyless()) {
            ch.flush();
        } else {
            exchange.startRequestBody(this);
            Exchange.flushSoon(ch); // with the first body part if it is in already
        }
        if (state == State.AWAITING_HEAD) {
            ch.read();
        }
    }

    @Override
    public void onMessage(HttpObject msg) {
        switch (state) {
            case AWAITING_HEAD -> onHeadCandidate(msg);
            case RELAYING -> {
                if (msg instanceof HttpContent content) {
                    responseBody.onContent(content);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            default -> ReferenceCountUtil.release(msg);
        }
    }

    private void onHeadCandidate(HttpObject msg) {
        if (msg instanceof HttpResponse r) {
            int code = r.status().code();
            if (code >= 100 && code < 200 && code != 101) {
                ReferenceCountUtil.release(r); // interim (100 Continue was answered by the sidecar already)
                lease.channel().read();
                return;
            }
            head = r;
            upstreamKeepAlive = HttpUtil.isKeepAlive(r);
            answeredEarly = !exchange.requestSent();
            state = State.HEAD_RECEIVED;
            cancelTimeout();
            result.complete(new ProxyResponse.Upstream(this));
            return;
        }
        ReferenceCountUtil.release(msg); // the empty end of an interim response
        lease.channel().read();
    }

    @Override
    public void onWritabilityChanged() {
        exchange.onUpstreamWritabilityChanged(this);
    }

    @Override
    public void onClosed(Throwable cause) {
        upstreamClosed = true;
        switch (state) {
            case CONNECTING, AWAITING_HEAD -> fail(cause != null ? cause
                    : new IOException("upstream " + attempt.endpoint().address() + " closed the connection before responding"));
            case RELAYING, COMPLETE -> exchange.onUpstreamClosed(this);
            default -> {
                // HEAD_RECEIVED: noticed when relaying starts; DONE: nothing to do
            }
        }
    }

    /** The engine kept this response: from now on its body goes through {@code pump}. */
    void relayTo(BodyPump pump) {
        if (state != State.HEAD_RECEIVED) {
            return;
        }
        state = State.RELAYING;
        responseBody = pump;
        if (upstreamClosed) {
            exchange.onUpstreamClosed(this);
            return;
        }
        pump.start();
    }

    /** The whole response has been read. */
    void responseComplete() {
        if (state == State.RELAYING || state == State.HEAD_RECEIVED) {
            state = State.COMPLETE;
        }
    }

    /** The exchange is over: keep the connection if both messages ended cleanly and the upstream allows it. */
    void finish(boolean clean) {
        cancelTimeout();
        boolean reusable = clean && state == State.COMPLETE && upstreamKeepAlive && !upstreamClosed && !answeredEarly;
        state = State.DONE;
        if (lease != null) {
            lease.release(reusable);
        }
    }

    /**
     * Dropped: by the engine (retrying elsewhere, its outcome known already) or because the exchange ended, its client
     * gone: a cancellation, not the endpoint's failure. Idempotent.
     */
    void abandon() {
        if (state == State.DONE) {
            return;
        }
        cancelTimeout();
        if (state == State.HEAD_RECEIVED) {
            ReferenceCountUtil.release(head);
        }
        state = State.DONE;
        if (lease != null) {
            lease.release(false);
        }
        result.completeExceptionally(new CallCancelledException("attempt abandoned: the client went away"));
    }

    /** Hands the raw connection over (after a 101): no longer pooled, no longer this attempt's. */
    Channel detach() {
        cancelTimeout();
        state = State.DONE;
        lease.listen(null);
        lease.detach();
        return lease.channel();
    }

    private void onTimeout() {
        if (state == State.CONNECTING || state == State.AWAITING_HEAD) {
            fail(new SocketTimeoutException("no response from " + attempt.endpoint().address() + " within "
                    + attempt.timeoutMillis() + " ms"));
        }
    }

    private void fail(Throwable cause) {
        if (state == State.DONE) {
            return;
        }
        if (log.isDebugEnabled()) {
            log.debug("attempt {} to {} failed in state {}", attempt.number(), attempt.endpoint().address(), state, cause);
        }
        cancelTimeout();
        state = State.DONE;
        if (lease != null) {
            lease.release(false);
        }
        exchange.onAttemptFailed(this);
        result.completeExceptionally(cause instanceof IOException ? cause : new IOException(cause.toString(), cause));
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    boolean owns(Channel ch) {
        return lease != null && lease.channel() == ch;
    }
}
