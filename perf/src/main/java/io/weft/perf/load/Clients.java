package io.weft.perf.load;

import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.adapter.jdkhttp.MeshHttpClient;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clients of the in-process scenarios, each configured alike (HTTP/1.1, keep-alive, enough connections that
 * the pool is never what limits), raw or with Weft's library adapter on top. Under the agent, the raw ones are
 * meshed by the agent instead.
 */
public final class Clients {

    private Clients() {
    }

    public static OkHttpClient okHttp() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(4096);
        dispatcher.setMaxRequestsPerHost(4096);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
                .retryOnConnectionFailure(false)
                .build();
    }

    public static AsyncCall okHttp(OkHttpClient client, String url) {
        return okHttp(client, url, null);
    }

    /** With {@code host}, the request names that host (a proxy routes by it) while going to {@code url}. */
    public static AsyncCall okHttp(OkHttpClient client, String url, String host) {
        Request.Builder b = new Request.Builder().url(url);
        if (host != null) {
            b.header("Host", host);
        }
        Request request = b.build();
        return () -> {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            client.newCall(request).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    f.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call call, Response response) {
                    try (response) {
                        response.body().bytes();
                        f.complete(response.code());
                    } catch (IOException e) {
                        f.completeExceptionally(e);
                    }
                }
            });
            return f;
        };
    }

    public static AsyncCall okHttpMeshed(WeftRuntime runtime, String url) {
        return okHttp(okHttp().newBuilder().addInterceptor(runtime.okHttpInterceptor()).build(), url);
    }

    public static AsyncCall meshClient(WeftRuntime runtime, String url) {
        MeshClient client = runtime.client(okHttp());
        MeshRequest request = MeshRequest.get(url).build();
        return () -> client.executeAsync(request).thenApply(r -> r.status());
    }

    public static HttpClient jdk() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static AsyncCall jdk(HttpClient client, String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        return () -> client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(HttpResponse::statusCode);
    }

    public static AsyncCall jdkMeshed(WeftRuntime runtime, String url) {
        return jdk(MeshHttpClient.wrap(runtime.engine(), jdk()), url);
    }
}
