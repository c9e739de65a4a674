package io.weft.spring;

/**
 * Whether the Weft agent ({@code -javaagent:weft-agent.jar}) is in this JVM. The agent puts its bridge class on the
 * bootstrap class path before anything else; asking the bootstrap loader for it loads nothing of the app's and
 * costs one lookup.
 */
public final class WeftAgentDetector {

    static final String BRIDGE_CLASS = "io.weft.agent.bootstrap.WeftBridge";

    private WeftAgentDetector() {
    }

    public static boolean agentPresent() {
        try {
            Class.forName(BRIDGE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
