package io.weft.agent;

import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * {@code java -javaagent:weft-agent.jar[=service=orders,controlPlane=http://127.0.0.1:15010] -jar app.jar}.
 *
 * <p>Kept tiny: it puts the bridge on the bootstrap class path, makes the agent's isolated class loader and hands
 * over to the installer inside it. Whatever goes wrong, the app starts; the agent says why once on stderr.
 */
public final class WeftAgent {

    /** Every class of the bridge's package, by name rather than by listing the jar's 15,000 entries at start-up. */
    public static final List<String> BRIDGE_CLASSES = List.of("io.weft.agent.bootstrap.WeftBridge",
            "io.weft.agent.bootstrap.WeftBridge$Hooks");

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
            // The bridge must be loaded by the bootstrap loader, so every class's advice can call it: defined there
            // class by class, which keeps class-data sharing on, or else by appending the jar to its search path.
            if (!injectBridge(jar, inst)) {
                inst.appendToBootstrapClassLoaderSearch(jar);
            }
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

    /**
     * Defines the bridge's classes in the bootstrap loader one by one, with the JDK's internal {@code Unsafe} (its
     * package exported to this agent through {@link Instrumentation#redefineModule}). Appending the jar to the
     * bootstrap class path instead makes the JVM turn class-data sharing off for every class the bootstrap loader
     * does not load ("Sharing is only supported for boot loader classes because bootstrap classpath has been
     * appended"), which slows the app's start-up. Done before the installer is loaded: verifying it needs the
     * bridge's types. False, with nothing defined, where the JDK does not allow it.
     */
    private static boolean injectBridge(JarFile jar, Instrumentation inst) throws Exception {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String name : BRIDGE_CLASSES) {
            JarEntry e = jar.getJarEntry(name.replace('.', '/') + ".class");
            if (e == null) {
                return false;
            }
            try (InputStream in = jar.getInputStream(e)) {
                classes.put(name, in.readAllBytes());
            }
        }
        Method define;
        Object unsafe;
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(),
                    Map.of("jdk.internal.misc", Set.of(WeftAgent.class.getModule())), Map.of(), Set.of(), Map.of());
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, ProtectionDomain.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
        }
        return true;
    }
}
