package io.weft.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a JMH JSON result file as a Markdown table: time per call, allocation per call (from {@code -prof gc}),
 * and each time as a ratio to the {@code baseline} benchmark of the same file.
 *
 * <pre>java -cp perf/target/weft-perf.jar io.weft.perf.ResultsTable perf/target/jmh-result.json</pre>
 */
public final class ResultsTable {

    private ResultsTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ResultsTable <jmh-result.json>");
            System.exit(2);
        }
        JsonNode runs = new ObjectMapper().readTree(new File(args[0]));
        Double baseline = null;
        Double baselineBytes = null;
        for (JsonNode run : runs) {
            if (run.path("benchmark").asText().endsWith(".baseline")) {
                baseline = run.path("primaryMetric").path("score").asDouble();
                JsonNode alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
                baselineBytes = alloc.isMissingNode() ? null : alloc.path("score").asDouble();
            }
        }
        System.out.println("| benchmark | params | threads | ns/op (± 99.9% CI) | B/op (gc.alloc.rate.norm) | time vs baseline | B/op over baseline |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (JsonNode run : runs) {
            String name = run.path("benchmark").asText();
            name = name.substring(name.lastIndexOf('.') + 1);
            StringBuilder params = new StringBuilder();
            for (Map.Entry<String, JsonNode> p : run.path("params").properties()) {
                if (params.length() > 0) {
                    params.append(", ");
                }
                params.append(p.getKey()).append('=').append(p.getValue().asText());
            }
            JsonNode primary = run.path("primaryMetric");
            double score = primary.path("score").asDouble();
            double error = primary.path("scoreError").asDouble();
            JsonNode alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
            String bytes = alloc.isMissingNode() ? "n/a" : fmt("%.1f", alloc.path("score").asDouble());
            String ratio = baseline == null || baseline <= 0 ? "n/a" : fmt("%.1fx", score / baseline);
            String extraBytes = alloc.isMissingNode() || baselineBytes == null
                    ? "n/a" : fmt("%+.1f", alloc.path("score").asDouble() - baselineBytes);
            System.out.printf("| %s | %s | %d | %s ± %s %s | %s | %s | %s |%n", name,
                    params.length() == 0 ? "-" : params, run.path("threads").asInt(),
                    fmt("%.1f", score), Double.isNaN(error) ? "n/a" : fmt("%.1f", error), primary.path("scoreUnit").asText(),
                    bytes, ratio, extraBytes);
        }
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
