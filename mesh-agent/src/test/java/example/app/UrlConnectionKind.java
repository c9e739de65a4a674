package example.app;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code new URL(url).openConnection()}, as older code and many libraries do it. */
final class UrlConnectionKind implements App.Client {

    @Override
    public String library() {
        return "java.net.HttpURLConnection/" + Runtime.version();
    }

    @Override
    @SuppressWarnings("deprecation") // new URL(String): what the apps this stands for do
    public List<App.Result> calls(String label, String url, int count) {
        List<App.Result> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
                c.setConnectTimeout(5_000);
                c.setReadTimeout(10_000);
                for (Map.Entry<String, String> h : App.headers(label, i).entrySet()) {
                    c.setRequestProperty(h.getKey(), h.getValue());
                }
                int status = c.getResponseCode();
                InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (in != null) {
                    in.close();
                }
                results.add(App.Result.of(status, body));
            } catch (Exception e) {
                results.add(App.Result.failed(e));
            }
        }
        return results;
    }
}
