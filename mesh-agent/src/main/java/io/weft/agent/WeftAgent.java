package io.weft.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * {@code java -javaagent:weft-agent.jar[=service=orders,controlPlane=http://127.0.0.1:15010] -jar app.jar}.
 *
 * <p>Kept tiny: it puts the bridge on the bootstrap class path, makes the agent's isolated class loader and hands
 * over to the installer inside it. Whatever goes wrong, the app starts; the agent says why once on stderr.
 */
public final class WeftAgent {

    private WeftAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        try {
            URL location = WeftAgent.class.getProtectionDomain().getCodeSource().getLocation();
            File file = new File(location.toURI());
            JarFile jar = new JarFile(file);
            // The bridge must be loaded by the bootstrap loader, so every class's advice can call it.
            inst.appendToBootstrapClassLoaderSearch(jar);
            AgentClassLoader loader = new AgentClassLoader(new JarFile(file), file.toURI().toURL(),
                    ClassLoader.getPlatformClassLoader());
            Class<?> installer = Class.forName("io.weft.agent.installer.AgentInstaller", true, loader);
            installer.getMethod("install", String.class, Instrumentation.class, ClassLoader.class)
                    .invoke(null, args, inst, loader);
        } catch (Throwable t) {
            System.err.println("[weft] agent not started, the app runs without the mesh: " + t);
            if (Boolean.getBoolean("weft.debug")) {
                t.printStackTrace();
            }
        }
    }
}
