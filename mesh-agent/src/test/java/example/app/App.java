package example.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plain application with no Weft dependency: the agent's integration tests run it in a child JVM with
 * {@code -javaagent:weft-agent.jar} and only an HTTP client library on its class path.
 *
 * <pre>
 * java -cp ... example.app.App KIND STEP...
 *   KIND  okhttp | okhttp-jackson | okhttp-two-clients | jdk-sync | jdk-async | url-connection | grpc | hello
 *   STEP  label|count|url    makes count GET calls to url, each with the header X-App-Call: label-i
 *                            (grpc: count calls, url is method/request@target, see GrpcKind)
 *         sleep|millis|-     waits
 * </pre>
 *
 * It prints one machine-readable line per event on stdout, which the tests parse:
 * <pre>
 * APP kind=... java=... library=...     what ran
 * CALL label i status body              one call that got a response (body: its first line, spaces as '_')
 * FAIL label i exception                one call that threw
 * STEP label ok=N failed=N millis=N     a step ended
 * END                                   the app ended normally
 * </pre>
 * Only classes of the chosen kind are loaded, so a kind needs only its own library on the class path.
 */
public final class App {

    /** One kind of HTTP client, as an application would use it. */
    interface Client {
        /** A description of the library that answers, e.g. the jar it came from. */
        String library();

        /** Makes the calls of one step; one result per call, in order. */
        List<Result> calls(String label, String url, int count) throws Exception;
    }

    /** What one call gave: a status and a body, or an error. */
    record Result(int status, String body, Throwable error) {
        static Result of(int status, String body) {
            return new Result(status, body, null);
        }

        static Result failed(Throwable error) {
            return new Result(-1, null, error);
        }
    }

    private App() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: App KIND [label|count|url ...]");
            System.exit(2);
        }
        String kind = args[0];
        if (kind.equals("hello")) {
            System.out.println("hello");
            return;
        }
        Client client = switch (kind) {
            case "okhttp" -> new OkHttpKind(false);
            case "okhttp-jackson" -> new OkHttpKind(true);
            case "okhttp-two-clients" -> new TwoOkHttpClientsKind();
            case "jdk-sync" -> new JdkHttpKind(false);
            case "jdk-async" -> new JdkHttpKind(true);
            case "url-connection" -> new UrlConnectionKind();
            case "grpc" -> new GrpcKind();
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
        System.out.println("APP kind=" + kind + " java=" + Runtime.version().feature() + " library=" + client.library());
        for (int s = 1; s < args.length; s++) {
            String[] step = args[s].split("\\|", 3);
            String label = step[0];
            int count = Integer.parseInt(step[1]);
            String url = step[2];
            if (label.equals("sleep")) {
                Thread.sleep(count);
                continue;
            }
            long started = System.nanoTime();
            List<Result> results;
            try {
                results = client.calls(label, url, count);
            } catch (Exception e) {
                results = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    results.add(Result.failed(e));
                }
            }
            int ok = 0;
            int failed = 0;
            for (int i = 0; i < results.size(); i++) {
                Result r = results.get(i);
                if (r.error() == null) {
                    ok++;
                    System.out.println("CALL " + label + " " + i + " " + r.status() + " " + oneLine(r.body()));
                    if (label.startsWith("show")) {
                        // The whole body, for a test that reads a document (such as the admin port's) through the app.
                        String body = r.body() == null ? "" : r.body();
                        body.lines().forEach(l -> System.out.println("BODY " + label + " " + l));
                    }
                } else {
                    failed++;
                    System.out.println("FAIL " + label + " " + i + " " + oneLine(String.valueOf(r.error())));
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("STEP " + label + " ok=" + ok + " failed=" + failed + " millis=" + millis);
        }
        System.out.println("END");
        System.out.flush();
        // OkHttp's and the JDK client's threads may linger; the app is done.
        System.exit(0);
    }

    static Map<String, String> headers(String label, int i) {
        return Map.of("X-App-Call", label + "-" + i);
    }

    private static String oneLine(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        String line = s.strip().split("\\R", 2)[0];
        return line.isEmpty() ? "-" : line.replace(' ', '_');
    }
}
