package io.weft.runtime.adapter.jdkhttp;

import io.weft.runtime.engine.MeshCall;
import io.weft.runtime.engine.MeshEngine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Puts a JDK {@link HttpClient} in the mesh: {@code HttpClient client = MeshHttpClient.wrap(runtime.engine(),
 * HttpClient.newHttpClient())}. Requests to mesh services run through the engine without blocking a thread
 * ({@code sendAsync}); {@code send} waits on the same path, as the JDK's own client does. Other hosts, and
 * everything else the client does, go straight to the wrapped client.
 */
public final class MeshHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final Supplier<MeshEngine> engine;

    private MeshHttpClient(HttpClient delegate, Supplier<MeshEngine> engine) {
        this.delegate = delegate;
        this.engine = engine;
    }

    public static HttpClient wrap(MeshEngine engine, HttpClient delegate) {
        return wrap(() -> engine, delegate);
    }

    /** For engines that come up after the client is built (the agent's): null means "not yet", and calls pass. */
    public static HttpClient wrap(Supplier<MeshEngine> engine, HttpClient delegate) {
        return delegate instanceof MeshHttpClient ? delegate : new MeshHttpClient(delegate, engine);
    }

    private MeshCall newCall(HttpRequest request) {
        MeshEngine e = engine.get();
        return e == null ? null : e.newCall(request.uri().getHost(), new JdkRequestView(request));
    }

    public HttpClient delegate() {
        return delegate;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        MeshCall call = newCall(request);
        if (call == null) {
            return delegate.send(request, handler);
        }
        CompletableFuture<HttpResponse<T>> future = call.executeAsync(new JdkAsyncTransport<>(delegate, request, handler, null));
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } catch (CancellationException e) {
            throw new IOException("request cancelled", e);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushHandler) {
        MeshCall call = newCall(request);
        if (call == null) {
            return pushHandler == null ? delegate.sendAsync(request, handler) : delegate.sendAsync(request, handler, pushHandler);
        }
        return call.executeAsync(new JdkAsyncTransport<>(delegate, request, handler, pushHandler));
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    // Lifecycle methods of JDK 21+ (overrides there, plain methods on 17): pass them on to the wrapped client.

    public void shutdown() {
        invoke("shutdown");
    }

    public void shutdownNow() {
        invoke("shutdownNow");
    }

    public void close() {
        invoke("close");
    }

    public boolean isTerminated() {
        Object r = invoke("isTerminated");
        return r instanceof Boolean b && b;
    }

    public boolean awaitTermination(Duration duration) throws InterruptedException {
        try {
            Object r = HttpClient.class.getMethod("awaitTermination", Duration.class).invoke(delegate, duration);
            return r instanceof Boolean b && b;
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Object invoke(String method) {
        try {
            return HttpClient.class.getMethod(method).invoke(delegate);
        } catch (NoSuchMethodException e) {
            return null; // JDK 17-20: the client has no lifecycle.
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
