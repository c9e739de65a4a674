package io.weft.runtime.adapter.okhttp;

import io.weft.api.Endpoint;
import io.weft.api.MeshResponse;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.Failures;
import io.weft.runtime.engine.HttpMethods;
import io.weft.runtime.engine.LocalReply;
import io.weft.runtime.engine.Transport;
import io.weft.runtime.resilience.Outcome;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Performs attempts by sending the request down the rest of OkHttp's chain with the URL pointed at the chosen
 * endpoint; an mTLS attempt goes through the app client's mTLS twin instead ({@link MtlsClients}). The Host header
 * keeps the service name, as an Envoy sidecar keeps the authority. A non-idempotent request goes with its body
 * marked one-shot ({@link OneShotBody}), so that OkHttp never runs it twice behind the engine's back.
 */
final class OkHttpTransport implements Transport<Response> {

    private final Interceptor.Chain chain;
    private final Request request;

    OkHttpTransport(Interceptor.Chain chain, Request request) {
        this.chain = chain;
        this.request = request;
    }

    @Override
    public Response send(Attempt attempt) throws IOException {
        Endpoint endpoint = attempt.endpoint();
        HttpUrl.Builder target = request.url().newBuilder().host(endpoint.host()).port(endpoint.port());
        if (attempt.tls() != null) {
            target.scheme("https");
        }
        HttpUrl url = target.build();
        Request.Builder routed = request.newBuilder().url(url).tag(Endpoint.class, endpoint);
        if (request.body() != null && !HttpMethods.isIdempotent(request.method())) {
            routed.method(request.method(), OneShotBody.of(request.body()));
        }
        attempt.headers().forEach(routed::header);
        if (request.header("Host") == null) {
            routed.header("Host", hostHeader(request.url()));
        }
        long timeout = attempt.timeoutMillis();
        if (attempt.tls() != null) {
            Call mtls = MtlsClients.of(chain, attempt.tls()).newCall(routed.build());
            if (timeout > 0) {
                mtls.timeout().timeout(timeout, TimeUnit.MILLISECONDS);
            }
            return mtls.execute();
        }
        Interceptor.Chain c = chain;
        if (timeout > 0) {
            // OkHttp's per-chain timeouts bound this attempt only; the connect, each write and each read.
            int t = (int) Math.min(Integer.MAX_VALUE, timeout);
            c = c.withConnectTimeout(t, TimeUnit.MILLISECONDS)
                    .withReadTimeout(t, TimeUnit.MILLISECONDS)
                    .withWriteTimeout(t, TimeUnit.MILLISECONDS);
        }
        return c.proceed(routed.build());
    }

    /** The app cancelled the call (OkHttp then fails the attempt with "Canceled"): not the endpoint's failure. */
    @Override
    public Outcome classify(IOException failure) {
        return chain.call().isCanceled() ? Outcome.CANCELLED : Failures.classify(failure);
    }

    @Override
    public int status(Response response) {
        return response.code();
    }

    @Override
    public void discard(Response response) {
        response.close();
    }

    @Override
    public Response localReply(LocalReply reply) {
        return new Response.Builder()
                .request(request)
                .protocol(Protocol.HTTP_1_1)
                .code(reply.status())
                .message(reply.reason())
                .header(MeshResponse.LOCAL_REPLY_HEADER, reply.reason())
                .body(ResponseBody.create(reply.message() + "\n", MediaType.get("text/plain; charset=utf-8")))
                .build();
    }

    @Override
    public boolean replayable() {
        return request.body() == null || !request.body().isOneShot();
    }

    private static String hostHeader(HttpUrl url) {
        return url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : url.host() + ":" + url.port();
    }
}
