package okhttp3;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** A GET request: a URL and headers. */
public final class Request {

    final URI url;
    final Map<String, String> headers;

    private Request(Builder b) {
        this.url = b.url;
        this.headers = Map.copyOf(b.headers);
    }

    public static class Builder {

        private URI url;
        private final Map<String, String> headers = new LinkedHashMap<>();

        public Builder url(String url) {
            this.url = URI.create(url);
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** For the agent's version check (OkHttp 3.11+); unused. */
        public <T> Builder tag(Class<? super T> type, T tag) {
            return this;
        }

        public Request build() {
            return new Request(this);
        }
    }
}
