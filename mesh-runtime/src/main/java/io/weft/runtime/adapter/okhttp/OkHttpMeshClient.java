package io.weft.runtime.adapter.okhttp;

import io.weft.api.Endpoint;
import io.weft.api.Explanation;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.api.MeshResponse;
import io.weft.runtime.engine.MeshEngine;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link MeshClient} on OkHttp with the {@link MeshInterceptor}. */
public final class OkHttpMeshClient implements MeshClient {

    private final MeshEngine engine;
    private final OkHttpClient client;
    private final boolean ownsClient;

    /** A mesh client over a client derived from {@code base}, sharing its pool and dispatcher (left open on close). */
    public OkHttpMeshClient(MeshEngine engine, OkHttpClient base) {
        this(engine, base, false);
    }

    private OkHttpMeshClient(MeshEngine engine, OkHttpClient base, boolean ownsClient) {
        this.engine = engine;
        this.client = base.newBuilder().addInterceptor(new MeshInterceptor(engine)).build();
        this.ownsClient = ownsClient;
    }

    /** A mesh client with an OkHttp client of its own, whose threads and connections close with it. */
    public static OkHttpMeshClient create(MeshEngine engine) {
        return new OkHttpMeshClient(engine, new OkHttpClient(), true);
    }

    /** The OkHttp client this mesh client sends with, for calls that want OkHttp's own API (streaming, websockets). */
    public OkHttpClient okHttpClient() {
        return client;
    }

    @Override
    public MeshResponse execute(MeshRequest request) throws IOException {
        try (Response response = client.newCall(toOkHttp(request)).execute()) {
            return toMesh(response);
        }
    }

    @Override
    public CompletableFuture<MeshResponse> executeAsync(MeshRequest request) {
        CompletableFuture<MeshResponse> future = new CompletableFuture<>();
        Call call = client.newCall(toOkHttp(request));
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    future.complete(toMesh(response));
                } catch (IOException | RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                future.completeExceptionally(e);
            }
        });
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        return future;
    }

    @Override
    public Explanation explain(MeshRequest request) {
        return engine.explain(request.uri().getHost(), request);
    }

    @Override
    public void close() {
        // A base client the caller gave us is theirs: its pool and dispatcher stay open.
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static Request toOkHttp(MeshRequest request) {
        Request.Builder b = new Request.Builder().url(request.uri().toString());
        request.headers().forEach((name, values) -> values.forEach(v -> b.addHeader(name, v)));
        byte[] body = request.body();
        RequestBody requestBody = body == null ? null
                : RequestBody.create(body, request.contentType() == null ? null : MediaType.parse(request.contentType()));
        if (requestBody == null && requiresBody(request.method())) {
            requestBody = RequestBody.create(new byte[0], null);
        }
        return b.method(request.method(), requestBody).build();
    }

    private static boolean requiresBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static MeshResponse toMesh(Response response) throws IOException {
        ResponseBody body = response.body();
        byte[] bytes = body == null ? new byte[0] : body.bytes();
        return new MeshResponse(response.code(), headers(response.headers()), bytes,
                response.request().tag(Endpoint.class));
    }

    private static Map<String, List<String>> headers(Headers headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            map.computeIfAbsent(headers.name(i).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(headers.value(i));
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return map;
    }
}
