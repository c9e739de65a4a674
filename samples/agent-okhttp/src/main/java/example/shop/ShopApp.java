package example.shop;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.util.Map;
import java.util.TreeMap;

/**
 * An ordinary OkHttp application that knows nothing of Weft. It calls the {@code orders} service by name,
 * {@code http://orders/...}, which no DNS resolves: run it with {@code -javaagent:weft-agent.jar=config=mesh} and the
 * agent routes each call to one of the service's endpoints.
 *
 * <pre>
 * java -javaagent:weft-agent.jar=config=mesh -jar agent-okhttp.jar [CALLS]   # the app (default 9 calls)
 * java -jar agent-okhttp.jar backend PORT NAME                               # one named backend
 * </pre>
 */
public final class ShopApp {

    private ShopApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("backend")) {
            if (args.length != 3) {
                System.err.println("usage: backend PORT NAME");
                System.exit(2);
            }
            Backend.main(args[1], args[2]);
            return;
        }
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        OkHttpClient client = new OkHttpClient.Builder().build();
        Map<String, Integer> answeredBy = new TreeMap<>();
        int failed = 0;
        for (int i = 1; i <= calls; i++) {
            String url = "http://orders/api/orders/" + i;
            Request request = new Request.Builder().url(url).build();
            try (Response response = client.newCall(request).execute()) {
                String body = response.body().string();
                System.out.println("GET " + url + " -> " + response.code() + " " + body);
                answeredBy.merge(body.substring(0, Math.max(0, body.indexOf(':'))), 1, Integer::sum);
            } catch (Exception e) {
                failed++;
                System.out.println("GET " + url + " -> " + e);
            }
        }
        System.out.println("answered by: " + answeredBy + (failed > 0 ? ", failed: " + failed : ""));
        if (failed == calls) {
            System.out.println("no call got through: 'orders' is a mesh name; run with "
                    + "-javaagent:weft-agent.jar=config=<mesh dir> (see README.md)");
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        System.exit(failed == calls ? 1 : 0);
    }
}
