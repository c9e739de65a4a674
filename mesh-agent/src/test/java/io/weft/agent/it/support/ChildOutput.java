package io.weft.agent.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a child JVM printed, parsed from the app's machine-readable lines (see {@code example.app.App}). */
public record ChildOutput(String name, List<String> command, int exit, List<String> stdout, String stderr,
                          Duration took) {

    /** One call that got a response. */
    public record Call(int index, int status, String body) {
    }

    public List<Call> calls(String label) {
        List<Call> calls = new ArrayList<>();
        for (String line : stdout) {
            String[] f = line.split(" ", 5);
            if (f.length == 5 && f[0].equals("CALL") && f[1].equals(label)) {
                calls.add(new Call(Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4]));
            }
        }
        return calls;
    }

    /** The body lines a {@code show…} step printed. */
    public List<String> bodyLines(String label) {
        String prefix = "BODY " + label + " ";
        return stdout.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    public List<String> failures(String label) {
        return stdout.stream().filter(l -> l.startsWith("FAIL " + label + " ")).toList();
    }

    /** How many calls of a step each body (a backend's name) answered. */
    public Map<String, Integer> countsByBody(String label) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Call c : calls(label)) {
            counts.merge(c.body(), 1, Integer::sum);
        }
        return counts;
    }

    /** The {@code STEP label ... millis=N} figure of a step. */
    public long stepMillis(String label) {
        for (String line : stdout) {
            if (line.startsWith("STEP " + label + " ")) {
                return Long.parseLong(line.substring(line.indexOf("millis=") + 7).trim());
            }
        }
        throw new AssertionError("no STEP line for " + label + "\n" + describe());
    }

    /** The {@code APP ...} line. */
    public String appLine() {
        return stdout.stream().filter(l -> l.startsWith("APP ")).findFirst().orElse("");
    }

    public boolean ended() {
        return stdout.contains("END");
    }

    public List<String> stderrLines() {
        return stderr.lines().toList();
    }

    /** The agent's own warnings: {@code [weft] WARNING: ...}. */
    public List<String> agentWarnings() {
        return stderr.lines().filter(l -> l.startsWith("[weft] WARNING")).toList();
    }

    /** For assertion messages: the command and everything the child printed. */
    public String describe() {
        return "child '" + name + "' exit " + exit + " after " + took.toMillis() + " ms\ncommand: "
                + String.join(" ", command) + "\n--- stdout\n" + tail(String.join("\n", stdout), 3000)
                + "\n--- stderr\n" + tail(stderr, 6000);
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "...\n" + s.substring(s.length() - max);
    }
}
