package io.weft.agent.installer;

import io.weft.agent.bootstrap.WeftBridge;
import io.weft.agent.instrumentation.HttpClientBuildAdvice;
import io.weft.agent.instrumentation.OkHttpClientAdvice;
import io.weft.agent.instrumentation.UrlOpenConnectionAdvice;
import io.weft.runtime.WeftRuntime;

import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Runs inside the agent's class loader: reads the settings, starts the runtime in the background, and installs
 * the instrumentations, each a narrow match on one class so start-up never scans the world.
 */
public final class AgentInstaller {

    private static final String OKHTTP_CLIENT = "okhttp3.OkHttpClient";
    private static final String JDK_HTTP_CLIENT_BUILDER = "jdk.internal.net.http.HttpClientBuilderImpl";
    private static final String URL = "java.net.URL";

    private AgentInstaller() {
    }

    public static void install(String args, Instrumentation inst, ClassLoader agentLoader) {
        long started = System.nanoTime();
        AgentSettings settings = AgentSettings.read(args, System::getProperty, System::getenv);
        AgentLog.level(settings.logLevel());
        settings.warnings().forEach(AgentLog::warnOnce);
        if (!settings.enabled()) {
            AgentLog.info("agent disabled by setting 'enabled'");
            return;
        }
        // The runtime logs through the agent's relocated slf4j-simple; this name is relocated with it.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", settings.logLevel());
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");

        RuntimeHolder holder = new RuntimeHolder(settings.awaitConfig());
        // Hooks first: a client built the moment its class is instrumented must find them.
        WeftBridge.install(new BridgeHooks(holder, agentLoader, settings.disabled()));
        instrument(inst, agentLoader, settings);
        startInBackground(inst, settings, holder, agentLoader);
        AgentLog.info("agent installed in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms"
                + (settings.controlPlane() != null ? ", control plane " + settings.controlPlane()
                : settings.config() != null ? ", config " + settings.config() : ", no config source (set controlPlane or config)"));
    }

    private static void debugTime(String what, long since) {
        if (Boolean.getBoolean("weft.debug")) {
            AgentLog.info(what + " after " + (System.nanoTime() - since) / 1_000_000 + " ms");
        }
    }

    private static void startInBackground(Instrumentation inst, AgentSettings settings, RuntimeHolder holder,
                                          ClassLoader agentLoader) {
        Thread t = new Thread(() -> {
            retransformLoaded(inst, settings);
            try {
                WeftRuntime.Builder b = WeftRuntime.builder();
                settings.hostSuffixes().forEach(b::hostSuffix);
                if (settings.controlPlane() != null) {
                    b.controlPlane(settings.controlPlane().toString(), settings.token()).service(settings.service());
                    if (settings.cacheDir() != null) {
                        b.cacheDir(settings.cacheDir());
                    }
                } else if (settings.config() != null) {
                    b.configPath(settings.config());
                }
                long t0 = System.nanoTime();
                WeftRuntime runtime = b.build();
                debugTime("runtime built", t0);
                runtime.awaitConfig(settings.awaitConfig());
                holder.ready(runtime);
                Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "weft-shutdown"));
            } catch (Throwable e) {
                holder.failed();
                AgentLog.warnOnce("runtime not started, calls go on without the mesh: " + e);
            }
        }, "weft-agent-start");
        t.setDaemon(true);
        t.start();
    }

    private static void instrument(Instrumentation inst, ClassLoader agentLoader, AgentSettings settings) {
        Map<String, LazyTransformer.Target> targets = new HashMap<>();
        if (!settings.disabled().contains("okhttp")) {
            add(targets, new LazyTransformer.Target(OKHTTP_CLIENT, isConstructor().and(takesArguments(1))
                    .and(takesArgument(0, named(OKHTTP_CLIENT + "$Builder"))), OkHttpClientAdvice.class.getName()));
        }
        if (!settings.disabled().contains("jdk-http-client")) {
            add(targets, new LazyTransformer.Target(JDK_HTTP_CLIENT_BUILDER, named("build").and(takesArguments(0)),
                    HttpClientBuildAdvice.class.getName()));
        }
        if (!settings.disabled().contains("url-connection")) {
            add(targets, new LazyTransformer.Target(URL, named("openConnection").and(takesArguments(0)),
                    UrlOpenConnectionAdvice.class.getName()));
        }
        inst.addTransformer(new LazyTransformer(Map.copyOf(targets), inst, agentLoader), true);
    }

    private static void add(Map<String, LazyTransformer.Target> targets, LazyTransformer.Target t) {
        targets.put(t.internalName(), t);
    }

    /**
     * Targets the JVM loaded before the agent (java.net.URL always is) are retransformed off the main thread,
     * so start-up does not wait for byte-buddy; until then their calls go unmeshed.
     */
    private static void retransformLoaded(Instrumentation inst, AgentSettings settings) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String name = c.getName();
            boolean wanted = (name.equals(URL) && !settings.disabled().contains("url-connection"))
                    || (name.equals(JDK_HTTP_CLIENT_BUILDER) && !settings.disabled().contains("jdk-http-client"))
                    || (name.equals(OKHTTP_CLIENT) && !settings.disabled().contains("okhttp"));
            if (wanted && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        if (loaded.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            AgentLog.warnOnce("could not instrument " + loaded + " (" + t + "); their calls go on without the mesh");
        }
    }
}
