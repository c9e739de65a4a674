package io.weft.sidecar.proxy;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.weft.runtime.engine.MeshCall;
import io.weft.runtime.engine.MeshEngine;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The outbound side: every request is a call through the engine, which routes, balances, retries, limits and
 * records it exactly as for an in-process adapter. Only mesh services are reachable: this is not an open proxy.
 */
public final class MeshRouter implements Router {

    private final MeshEngine engine;
    private final BooleanSupplier ready;

    public MeshRouter(MeshEngine engine, BooleanSupplier ready) {
        this.engine = engine;
        this.ready = ready;
    }

    @Override
    public CompletableFuture<ProxyResponse> route(HttpRequest request, Channel downstream, ProxyTransport transport) {
        if (!ready.getAsBoolean()) {
            return local(503, "not-ready", "weft sidecar: no mesh config yet (control plane not reached); try again shortly");
        }
        if (HttpMethod.CONNECT.equals(request.method())) {
            return local(405, "connect-not-supported", "weft sidecar: CONNECT tunnels are not supported; call "
                    + "http://<service>/ in plain HTTP through this proxy");
        }
        String host = RequestTarget.host(request);
        if (host == null) {
            return local(400, "no-host", "weft sidecar: the request names no host (absolute URI or Host header)");
        }
        MeshCall call = engine.newCall(host, new RequestView(request));
        if (call == null) {
            return local(502, "not-a-mesh-service", "weft sidecar: '" + host
                    + "' is not a mesh service; this proxy only reaches mesh services");
        }
        return call.executeAsync(transport);
    }

    private static CompletableFuture<ProxyResponse> local(int status, String reason, String message) {
        return CompletableFuture.completedFuture(new ProxyResponse.Local(status, reason, message));
    }
}
