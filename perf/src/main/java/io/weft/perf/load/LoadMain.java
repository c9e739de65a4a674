package io.weft.perf.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.config.ConfigLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one client scenario against a backend: each fixed rate, then a closed loop for maximum throughput, one
 * JSON line per result appended to {@code --out}.
 *
 * <pre>
 * java -cp weft-perf.jar io.weft.perf.load.LoadMain --scenario okhttp-mesh --client okhttp --mesh library \
 *      --backend 127.0.0.1:8080 --rates 1000,5000 --warmup 5s --duration 10s --concurrency 64 --out load.jsonl
 * </pre>
 * {@code --mesh library} puts Weft's adapter on the client and calls {@code http://backend/hello}, a mesh service
 * whose one endpoint is {@code --backend}; {@code --mesh none} calls the backend by address, or, with
 * {@code --url http://backend/hello}, by the mesh name for the agent to resolve. {@code --host backend} sends
 * that Host header (OkHttp only), for a proxy in between that routes by it.
 */
public final class LoadMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadMain() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        String scenario = required(args, "scenario");
        String client = required(args, "client");
        String mesh = args.getOrDefault("mesh", "none");
        String backend = required(args, "backend");
        String url = args.getOrDefault("url", mesh.equals("library") ? "http://backend/hello" : "http://" + backend + "/hello");
        List<Integer> rates = new ArrayList<>();
        for (String r : args.getOrDefault("rates", "1000").split(",")) {
            if (!r.isBlank()) {
                rates.add(Integer.parseInt(r.trim()));
            }
        }
        Duration warmup = Duration.parse("PT" + args.getOrDefault("warmup", "5s").toUpperCase());
        Duration duration = Duration.parse("PT" + args.getOrDefault("duration", "10s").toUpperCase());
        int concurrency = Integer.parseInt(args.getOrDefault("concurrency", "64"));
        Path out = Path.of(required(args, "out"));

        WeftRuntime runtime = mesh.equals("library") ? WeftRuntime.builder()
                .config(new ConfigLoader().parse("perf.yaml", meshYaml(backend))).build() : null;
        AsyncCall call = switch (client + "/" + mesh) {
            case "okhttp/none" -> Clients.okHttp(Clients.okHttp(), url, args.get("host"));
            case "okhttp/library" -> Clients.okHttpMeshed(runtime, url);
            case "meshclient/library" -> Clients.meshClient(runtime, url);
            case "jdk/none" -> Clients.jdk(Clients.jdk(), url);
            case "jdk/library" -> Clients.jdkMeshed(runtime, url);
            default -> throw new IllegalArgumentException("unknown --client/--mesh pair: " + client + "/" + mesh
                    + " (okhttp/none, okhttp/library, meshclient/library, jdk/none, jdk/library)");
        };
        for (int rate : rates) {
            // At most 2,000 requests waiting: a client that falls further behind drops (and counts) the rest
            // rather than opening connections until the process runs out of file descriptors.
            write(out, new FixedRateLoad(call, rate, 2_000).run(scenario, warmup, duration));
        }
        if (concurrency > 0) {
            write(out, new ClosedLoopLoad(call, concurrency).run(scenario, warmup, duration));
        }
        if (runtime != null) {
            runtime.close();
        }
        System.exit(0);
    }

    /** The mesh of every library scenario: one service, the backend as its one endpoint. */
    public static String meshYaml(String backend) {
        return "service: backend\nendpoints: [ { address: " + backend + " } ]\npolicy: { loadBalancer: round-robin }\n";
    }

    private static void write(Path out, LoadResult r) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("scenario", r.scenario());
        line.put("rate", r.rate());
        line.put("completed", r.completed());
        line.put("errors", r.errors());
        line.put("seconds", r.seconds());
        line.put("throughput", r.throughput());
        line.put("p50_us", r.percentile(50));
        line.put("p90_us", r.percentile(90));
        line.put("p99_us", r.percentile(99));
        line.put("p999_us", r.percentile(99.9));
        line.put("max_us", r.latency().getMaxValue());
        line.put("cpu_us_per_req", r.cpuMicrosPerRequest());
        String text = JSON.writeValueAsString(line);
        System.out.println(text);
        Files.writeString(out, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + argv[i] + "'");
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        return args;
    }

    private static String required(Map<String, String> args, String name) {
        String v = args.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }
}
