package io.weft.agent.installer;

import io.weft.agent.bootstrap.WeftBridge;
import io.weft.agent.instrumentation.HttpClientBuildAdvice;
import io.weft.agent.instrumentation.OkHttpClientAdvice;
import io.weft.agent.instrumentation.UrlOpenConnectionAdvice;
import io.weft.runtime.WeftRuntime;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.time.Duration;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Runs inside the agent's class loader: reads the settings, starts the runtime in the background, and installs
 * the instrumentations, each a narrow match on one class so start-up never scans the world.
 */
public final class AgentInstaller {

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
        startRuntime(settings, holder);
        WeftBridge.install(new BridgeHooks(holder, agentLoader, settings.disabled()));
        instrument(inst, agentLoader, settings);
        AgentLog.info("agent installed in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms"
                + (settings.controlPlane() != null ? ", control plane " + settings.controlPlane()
                : settings.config() != null ? ", config " + settings.config() : ", no config source (set controlPlane or config)"));
    }

    private static void startRuntime(AgentSettings settings, RuntimeHolder holder) {
        Thread t = new Thread(() -> {
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
                WeftRuntime runtime = b.build();
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
        ClassFileLocator advice = ClassFileLocator.ForClassLoader.of(agentLoader);
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .ignore(none())
                .with(new FailureListener())
                .assureReadEdgeTo(inst, WeftBridge.class);
        if (!settings.disabled().contains("okhttp")) {
            builder = builder.type(named("okhttp3.OkHttpClient"))
                    .transform(new AgentBuilder.Transformer.ForAdvice()
                            .include(agentLoader).withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING)
                            .advice(isConstructor().and(takesArguments(1))
                                    .and(takesArgument(0, named("okhttp3.OkHttpClient$Builder"))), OkHttpClientAdvice.class.getName()));
        }
        if (!settings.disabled().contains("jdk-http-client")) {
            builder = builder.type(named("jdk.internal.net.http.HttpClientBuilderImpl"))
                    .transform(new AgentBuilder.Transformer.ForAdvice()
                            .include(agentLoader)
                            .advice(named("build").and(takesArguments(0)), HttpClientBuildAdvice.class.getName()));
        }
        if (!settings.disabled().contains("url-connection")) {
            builder = builder.type(named("java.net.URL"))
                    .transform(new AgentBuilder.Transformer.ForAdvice()
                            .include(agentLoader)
                            .advice(named("openConnection").and(takesArguments(0)), UrlOpenConnectionAdvice.class.getName()));
        }
        builder.installOn(inst);
    }

    /** Says once per type why an instrumentation could not be applied; the type stays as it was. */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
            AgentLog.warnOnce("could not instrument " + typeName + " (" + throwable + "); its calls go on without the mesh");
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            if (Boolean.getBoolean("weft.debug")) {
                AgentLog.info("instrumented " + type.getName());
            }
        }
    }
}
