package io.weft.runtime.adapter.okhttp;

import io.weft.runtime.engine.MeshCall;
import io.weft.runtime.engine.MeshEngine;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * Puts an OkHttp client in the mesh: add it as an application interceptor
 * ({@code builder.addInterceptor(new MeshInterceptor(runtime.engine()))}) and requests to
 * {@code http://<service>/…} are routed, balanced and protected by the engine. Other hosts pass through untouched.
 */
public final class MeshInterceptor implements Interceptor {

    private final Supplier<MeshEngine> engine;

    public MeshInterceptor(MeshEngine engine) {
        this(() -> engine);
    }

    /** For engines that come up after the client is built (the agent's): null means "not yet", and calls pass. */
    public MeshInterceptor(Supplier<MeshEngine> engine) {
        this.engine = engine;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        MeshEngine e = engine.get();
        MeshCall call = e == null ? null : e.newCall(request.url().host(), new OkHttpRequestView(request));
        if (call == null) {
            return chain.proceed(request);
        }
        return call.execute(new OkHttpTransport(chain, request));
    }
}
