package io.weft.runtime.reliability;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every attempt the mesh made, as seen just below its interceptor: added to the OkHttp client after
 * {@code runtime.okHttpInterceptor()}, it gets each attempt with the URL already pointed at the chosen endpoint.
 * This is how a test sees traffic to a dead endpoint, which can record nothing itself.
 */
public final class AttemptLog implements Interceptor {

    /**
     * One attempt: the request's {@code x-request-id}, the endpoint's port, when it started ({@link System#nanoTime()})
     * and whether it failed.
     */
    public record Attempt(String id, int port, long nanos, boolean failed) {
    }

    private final Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();

    @Override
    public Response intercept(Chain chain) throws IOException {
        long now = System.nanoTime();
        int port = chain.request().url().port();
        String id = chain.request().header("x-request-id");
        try {
            Response r = chain.proceed(chain.request());
            attempts.add(new Attempt(id, port, now, false));
            return r;
        } catch (IOException | RuntimeException e) {
            attempts.add(new Attempt(id, port, now, true));
            throw e;
        }
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }
}
