package io.weft.agent.instrumentation.okhttp;

import io.weft.runtime.adapter.okhttp.MeshInterceptor;
import io.weft.runtime.engine.MeshEngine;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Adds the runtime's {@link MeshInterceptor} to an app's OkHttp builder, once. Loaded next to the app's OkHttp
 * (see the installer's adapter loader), so it links to whatever OkHttp 3, 4 or 5 the app has. The interceptor goes
 * last among the app's application interceptors: they see the call once, as the app made it; the mesh makes the
 * attempts below them.
 */
public final class OkHttpBuilderHook implements Consumer<Object> {

    private final Supplier<MeshEngine> engine;

    public OkHttpBuilderHook(Supplier<MeshEngine> engine) {
        this.engine = engine;
    }

    @Override
    public void accept(Object builder) {
        java.util.List<Interceptor> interceptors = ((OkHttpClient.Builder) builder).interceptors();
        for (Interceptor i : interceptors) {
            if (i instanceof MeshInterceptor) {
                return;
            }
        }
        interceptors.add(new MeshInterceptor(engine));
    }
}
