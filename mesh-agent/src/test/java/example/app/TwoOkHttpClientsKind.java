package example.app;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two OkHttp clients built before any call (a builder's, then {@code newBuilder()} of the first), calls
 * alternating between them. Run with the look-alike OkHttp of the agent-safety scenario (see
 * {@code src/it-libs/fake-okhttp}), whose builders the agent's hook cannot change: the hook fails at each build,
 * and the app must not notice. Uses only calls that the look-alike has with OkHttp's own signatures.
 */
final class TwoOkHttpClientsKind implements App.Client {

    private final List<OkHttpClient> clients = new ArrayList<>();

    TwoOkHttpClientsKind() {
        OkHttpClient first = new OkHttpClient.Builder().build();
        clients.add(first);
        clients.add(first.newBuilder().build());
    }

    @Override
    public String library() {
        return OkHttpKind.jarOf(OkHttpClient.class);
    }

    @Override
    public List<App.Result> calls(String label, String url, int count) {
        List<App.Result> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Request.Builder request = new Request.Builder().url(url);
            for (Map.Entry<String, String> h : App.headers(label, i).entrySet()) {
                request.header(h.getKey(), h.getValue());
            }
            try (Response response = clients.get(i % clients.size()).newCall(request.build()).execute()) {
                results.add(App.Result.of(response.code(), response.body().string()));
            } catch (Exception e) {
                results.add(App.Result.failed(e));
            }
        }
        return results;
    }
}
