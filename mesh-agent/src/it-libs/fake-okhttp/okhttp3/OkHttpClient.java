package okhttp3;

import java.util.List;

/**
 * Built like OkHttp's client, through {@code OkHttpClient(Builder)}, the constructor the agent instruments; its
 * calls go over a plain socket ({@link PlainSocketCall}).
 */
public class OkHttpClient {

    OkHttpClient(Builder builder) {
    }

    public Builder newBuilder() {
        return new Builder();
    }

    public Call newCall(Request request) {
        return new PlainSocketCall(request);
    }

    public static final class Builder {

        /** Read-only, unlike OkHttp's: the agent's hook cannot add its interceptor, and must fail without harm. */
        public List<Interceptor> interceptors() {
            return List.of();
        }

        public OkHttpClient build() {
            return new OkHttpClient(this);
        }
    }
}
