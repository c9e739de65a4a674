package example.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OkHttp as apps use it, with only API that OkHttp 3.14, 4 and 5 share. The calls rotate over three clients made
 * the three usual ways ({@code new OkHttpClient()}, a builder, and {@code newBuilder()} of an existing client), so
 * every way of making a client is seen by the tests' balancing checks.
 *
 * <p>With {@code jackson}, the body is JSON that the app parses with its own Jackson, whatever version that is.
 */
final class OkHttpKind implements App.Client {

    private final List<OkHttpClient> clients = new ArrayList<>();
    private final ObjectMapper json;

    OkHttpKind(boolean jackson) {
        OkHttpClient plain = new OkHttpClient();
        clients.add(plain);
        clients.add(new OkHttpClient.Builder().build());
        clients.add(plain.newBuilder().build());
        json = jackson ? new ObjectMapper() : null;
    }

    @Override
    public String library() {
        String okhttp = jarOf(OkHttpClient.class);
        return json == null ? okhttp : okhttp + ";jackson=" + json.version() + "@" + jarOf(ObjectMapper.class);
    }

    static String jarOf(Class<?> type) {
        String path = type.getProtectionDomain().getCodeSource().getLocation().getPath();
        return path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
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
                String body = response.body().string();
                if (json != null && response.code() == 200) {
                    body = json.readTree(body).get("backend").asText();
                }
                results.add(App.Result.of(response.code(), body));
            } catch (Exception e) {
                results.add(App.Result.failed(e));
            }
        }
        return results;
    }
}
