package io.weft.agent.installer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's own voice on stderr: every distinct problem is said once. */
final class AgentLog {

    private static final Set<String> said = ConcurrentHashMap.newKeySet();
    private static volatile boolean quiet;

    private AgentLog() {
    }

    static void level(String level) {
        quiet = level.equals("error") || level.equals("warn");
    }

    static void info(String message) {
        if (!quiet) {
            System.err.println("[weft] " + message);
        }
    }

    static void warnOnce(String message) {
        if (said.add(message)) {
            System.err.println("[weft] WARNING: " + message);
        }
    }
}
