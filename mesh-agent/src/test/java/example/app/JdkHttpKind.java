package example.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The JDK's {@link HttpClient}, blocking ({@code send}) or not ({@code sendAsync}, up to ten calls in flight).
 * Calls alternate between {@code HttpClient.newHttpClient()} and a client from {@code newBuilder()}.
 */
final class JdkHttpKind implements App.Client {

    private static final int IN_FLIGHT = 10;

    private final boolean async;
    private final List<HttpClient> clients;

    JdkHttpKind(boolean async) {
        this.async = async;
        this.clients = List.of(HttpClient.newHttpClient(),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    @Override
    public String library() {
        return "java.net.http/" + Runtime.version() + (async ? "/sendAsync" : "/send");
    }

    private HttpRequest request(String label, String url, int i) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        for (Map.Entry<String, String> h : App.headers(label, i).entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        return b.build();
    }

    @Override
    public List<App.Result> calls(String label, String url, int count) throws InterruptedException {
        List<App.Result> results = new ArrayList<>();
        if (!async) {
            for (int i = 0; i < count; i++) {
                try {
                    HttpResponse<String> r = clients.get(i % 2).send(request(label, url, i), HttpResponse.BodyHandlers.ofString());
                    results.add(App.Result.of(r.statusCode(), r.body()));
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    results.add(App.Result.failed(e));
                }
            }
            return results;
        }
        for (int start = 0; start < count; start += IN_FLIGHT) {
            List<CompletableFuture<App.Result>> window = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + IN_FLIGHT); i++) {
                window.add(clients.get(i % 2).sendAsync(request(label, url, i), HttpResponse.BodyHandlers.ofString())
                        .thenApply(r -> App.Result.of(r.statusCode(), r.body()))
                        .exceptionally(App.Result::failed));
            }
            for (CompletableFuture<App.Result> f : window) {
                results.add(f.join());
            }
        }
        return results;
    }
}
