package io.weft.perf.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JSON lines of a run into Markdown tables, one per load (each fixed rate, then maximum throughput),
 * each scenario against the baseline measured in the same run: added latency in microseconds at a fixed rate,
 * and ratios of throughput and CPU per request.
 *
 * <pre>java -cp weft-perf.jar io.weft.perf.load.LoadReport load.jsonl okhttp-raw [jdk-mesh=jdk-raw ...]</pre>
 * The second argument is the default baseline; {@code scenario=baseline} pairs override it.
 */
public final class LoadReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LoadReport <results.jsonl> <baseline scenario> [scenario=baseline ...]");
            System.exit(2);
        }
        Map<String, String> baselines = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            baselines.put(pair[0], pair[1]);
        }
        System.out.print(render(Files.readAllLines(Path.of(args[0])), args[1], baselines));
    }

    public static String render(List<String> lines, String defaultBaseline, Map<String, String> baselines)
            throws IOException {
        Map<Integer, Map<String, JsonNode>> byRate = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            byRate.computeIfAbsent(n.get("rate").asInt(), r -> new LinkedHashMap<>()).put(n.get("scenario").asText(), n);
        }
        StringBuilder md = new StringBuilder();
        List<Integer> rates = new ArrayList<>(byRate.keySet());
        rates.sort((a, b) -> a == 0 ? 1 : b == 0 ? -1 : Integer.compare(a, b));
        for (int rate : rates) {
            Map<String, JsonNode> results = byRate.get(rate);
            if (rate > 0) {
                md.append(String.format(Locale.ROOT, "%n**Fixed rate %,d req/s** (latency from each request's intended "
                        + "start: coordinated omission corrected)%n%n", rate));
                md.append("| scenario | p50 µs | p99 µs | p99.9 µs | added p50 µs | added p99 µs | CPU µs/req | CPU ratio | errors |\n");
                md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            } else {
                md.append(String.format(Locale.ROOT, "%n**Maximum throughput** (closed loop)%n%n"));
                md.append("| scenario | req/s | ratio | p50 µs | p99 µs | CPU µs/req | CPU ratio | errors |\n");
                md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            }
            for (Map.Entry<String, JsonNode> e : results.entrySet()) {
                JsonNode r = e.getValue();
                JsonNode base = results.get(baselines.getOrDefault(e.getKey(), defaultBaseline));
                md.append(rate > 0 ? fixedRow(e.getKey(), r, base) : maxRow(e.getKey(), r, base));
            }
        }
        return md.toString();
    }

    private static String fixedRow(String name, JsonNode r, JsonNode base) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %s | %s | %.1f | %s | %d |%n", name,
                r.get("p50_us").asDouble(), r.get("p99_us").asDouble(), r.get("p999_us").asDouble(),
                added(r, base, "p50_us"), added(r, base, "p99_us"), r.get("cpu_us_per_req").asDouble(),
                ratio(r, base, "cpu_us_per_req"), r.get("errors").asLong());
    }

    private static String maxRow(String name, JsonNode r, JsonNode base) {
        return String.format(Locale.ROOT, "| %s | %,.0f | %s | %.0f | %.0f | %.1f | %s | %d |%n", name,
                r.get("throughput").asDouble(), ratio(r, base, "throughput"), r.get("p50_us").asDouble(),
                r.get("p99_us").asDouble(), r.get("cpu_us_per_req").asDouble(), ratio(r, base, "cpu_us_per_req"),
                r.get("errors").asLong());
    }

    private static String added(JsonNode r, JsonNode base, String field) {
        if (base == null || base == r) {
            return "(baseline)";
        }
        return String.format(Locale.ROOT, "%+.0f", r.get(field).asDouble() - base.get(field).asDouble());
    }

    private static String ratio(JsonNode r, JsonNode base, String field) {
        if (base == null || base == r) {
            return "1.00 (baseline)";
        }
        return String.format(Locale.ROOT, "%.2f", r.get(field).asDouble() / base.get(field).asDouble());
    }
}
