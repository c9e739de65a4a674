package io.weft.sidecar.proxy;

import io.weft.runtime.telemetry.InboundTracer;

import java.util.function.IntSupplier;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.weft.api.Endpoint;
import io.weft.runtime.engine.Attempt;

import java.util.concurrent.CompletableFuture;

/**
 * The inbound side: mesh traffic for this instance goes to the local app, one attempt, no policy. The caller's
 * sidecar (or in-process engine) already chose this instance and owns retries.
 */
public final class LocalAppRouter implements Router {

    private final Endpoint app;
    private final InboundTracer tracer;
    private final IntSupplier listenerPort;

    public LocalAppRouter(String host, int port) {
        this(host, port, null, () -> 0);
    }

    /** With a tracer, each request gets a SERVER span continuing the caller's trace, and the app its context. */
    public LocalAppRouter(String host, int port, InboundTracer tracer, IntSupplier listenerPort) {
        this.app = Endpoint.of(host, port);
        this.tracer = tracer;
        this.listenerPort = listenerPort;
    }

    @Override
    public CompletableFuture<ProxyResponse> route(HttpRequest request, Channel downstream, ProxyTransport transport) {
        if (HttpMethod.CONNECT.equals(request.method())) {
            // No tunnels (as outbound): an app's 2xx would turn the pooled upstream connection into raw bytes.
            return CompletableFuture.completedFuture(new ProxyResponse.Local(405, "connect-not-supported",
                    "weft sidecar: CONNECT tunnels are not supported"));
        }
        if (tracer == null) {
            return transport.send(new Attempt(app, 0, 0));
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        InboundTracer.InboundSpan span = tracer.start(request.method().name(), query < 0 ? uri : uri.substring(0, query),
                listenerPort.getAsInt(), request.headers()::get);
        return transport.send(new Attempt(app, 0, 0, span.headers()))
                .whenComplete((response, failure) -> span.end(response == null ? 0 : transport.status(response), failure));
    }
}
