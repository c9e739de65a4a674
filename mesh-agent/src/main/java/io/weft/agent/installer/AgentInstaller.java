package io.weft.agent.installer;

import io.weft.agent.bootstrap.WeftBridge;
import io.weft.agent.instrumentation.GrpcChannelBuildAdvice;
import io.weft.agent.instrumentation.HandlerOpenConnectionAdvice;
import io.weft.agent.instrumentation.HttpClientBuildAdvice;
import io.weft.agent.instrumentation.OkHttpClientAdvice;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.telemetry.OtlpTracing;

import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs inside the agent's class loader: reads the settings, installs the bridge's hooks and the instrumentations
 * (each an exact class name, transformed when the JVM loads it), and starts the runtime in the background so the
 * app's start is not held up.
 */
public final class AgentInstaller {

    private static final String OKHTTP_CLIENT = "okhttp3.OkHttpClient";
    private static final String JDK_HTTP_CLIENT_BUILDER = "jdk.internal.net.http.HttpClientBuilderImpl";
    /** Where every grpc-java channel builder (Netty, OkHttp, in-process, Grpc.newChannelBuilder) builds. */
    private static final String GRPC_CHANNEL_BUILDER = "io.grpc.internal.ManagedChannelImplBuilder";
    private static final String HTTP_HANDLER = "sun.net.www.protocol.http.Handler";
    private static final String HTTPS_HANDLER = "sun.net.www.protocol.https.Handler";

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
        // The runtime logs through the agent's relocated slf4j-simple; these names are relocated with it.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", settings.logLevel());
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");

        RuntimeHolder holder = new RuntimeHolder(settings.awaitConfig());
        // Hooks first: a client built the moment its class is instrumented must find them.
        WeftBridge.install(new BridgeHooks(holder, agentLoader, settings.disabled()));
        LazyTransformer transformer = instrument(inst, agentLoader, settings);
        startInBackground(settings, holder, transformer);
        AgentLog.info("agent installed in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms"
                + (settings.controlPlane() != null ? ", control plane " + settings.controlPlane()
                : settings.config() != null ? ", config " + settings.config() : ", no config source (set controlPlane or config)"));
    }

    private static LazyTransformer instrument(Instrumentation inst, ClassLoader agentLoader, AgentSettings settings) {
        Map<String, LazyTransformer.Target> targets = new HashMap<>();
        if (!settings.disabled().contains("okhttp")) {
            add(targets, new LazyTransformer.Target(OKHTTP_CLIENT, LazyTransformer.Target.CONSTRUCTOR, 1,
                    OKHTTP_CLIENT + "$Builder", OkHttpClientAdvice.class.getName()));
        }
        if (!settings.disabled().contains("jdk-http-client")) {
            add(targets, new LazyTransformer.Target(JDK_HTTP_CLIENT_BUILDER, "build", 0, null,
                    HttpClientBuildAdvice.class.getName()));
        }
        if (!settings.disabled().contains("url-connection")) {
            for (String handler : List.of(HTTP_HANDLER, HTTPS_HANDLER)) {
                add(targets, new LazyTransformer.Target(handler, "openConnection", 1, null,
                        HandlerOpenConnectionAdvice.class.getName()));
            }
        }
        if (!settings.disabled().contains("grpc")) {
            add(targets, new LazyTransformer.Target(GRPC_CHANNEL_BUILDER, "build", 0, null,
                    GrpcChannelBuildAdvice.class.getName()));
        }
        LazyTransformer transformer = new LazyTransformer(Map.copyOf(targets), inst, agentLoader);
        inst.addTransformer(transformer, true);
        List<String> names = new ArrayList<>();
        for (LazyTransformer.Target t : targets.values()) {
            names.add(t.className());
        }
        retransformLoaded(inst, names);
        return transformer;
    }

    private static void add(Map<String, LazyTransformer.Target> targets, LazyTransformer.Target t) {
        targets.put(t.internalName(), t);
    }

    /**
     * Targets already loaded before the agent (rare: another agent that ran first, say) are retransformed now, so
     * that no client made after start-up escapes the mesh.
     */
    private static void retransformLoaded(Instrumentation inst, List<String> names) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (names.contains(c.getName()) && inst.isModifiableClass(c)) {
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

    private static void startInBackground(AgentSettings settings, RuntimeHolder holder, LazyTransformer transformer) {
        Thread t = new Thread(() -> {
            transformer.warmUp();
            try {
                WeftRuntime.Builder b = WeftRuntime.builder();
                settings.hostSuffixes().forEach(b::hostSuffix);
                if (settings.controlPlane() != null) {
                    b.controlPlane(settings.controlPlane(), settings.token()).service(settings.service());
                    if (settings.controlPlaneCa() != null) {
                        b.controlPlaneCa(settings.controlPlaneCa());
                    }
                    if (settings.cacheDir() != null) {
                        b.cacheDir(settings.cacheDir());
                    }
                } else if (settings.config() != null) {
                    b.configPath(settings.config());
                }
                OtlpTracing tracing = AgentTelemetry.configure(b, settings);
                long t0 = System.nanoTime();
                WeftRuntime runtime = b.build();
                debugTime("runtime built", t0);
                if (runtime.adminPort() >= 0) {
                    AgentLog.info("admin port: http://127.0.0.1:" + runtime.adminPort() + "/");
                }
                runtime.awaitConfig(settings.awaitConfig());
                holder.ready(runtime);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    runtime.close();
                    if (tracing != null) {
                        tracing.close();
                    }
                }, "weft-shutdown"));
            } catch (Throwable e) {
                holder.failed();
                AgentLog.warnOnce("runtime not started, calls go on without the mesh: " + e);
            }
        }, "weft-agent-start");
        t.setDaemon(true);
        t.start();
    }

    private static void debugTime(String what, long since) {
        if (Boolean.getBoolean("weft.debug")) {
            AgentLog.info(what + " after " + (System.nanoTime() - since) / 1_000_000 + " ms");
        }
    }
}
