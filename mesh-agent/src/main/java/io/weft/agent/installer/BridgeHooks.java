package io.weft.agent.installer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.weft.agent.bootstrap.WeftBridge;
import io.weft.runtime.adapter.jdkhttp.MeshHttpClient;
import io.weft.runtime.adapter.urlconnection.MeshHttpURLConnection;
import io.weft.runtime.engine.MeshEngine;

import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** What each instrumented point does: hand the app's client to the runtime's library adapter for it. */
final class BridgeHooks implements WeftBridge.Hooks {

    private static final String[] OKHTTP_ADAPTER = {"io.weft.runtime.adapter.okhttp.", "io.weft.agent.instrumentation.okhttp."};
    private static final String[] OKHTTP_LIBRARY = {"okhttp3.", "okio.", "kotlin."};
    private static final String[] GRPC_ADAPTER = {"io.weft.runtime.adapter.grpc.", "io.weft.agent.instrumentation.grpc."};
    private static final String[] GRPC_LIBRARY = {"io.grpc."};

    private final Supplier<MeshEngine> engine;
    private final ClassLoader agentLoader;
    private final Set<String> disabled;
    /**
     * One OkHttp hook per app class loader that has OkHttp; weak keys so an undeployed app can be collected.
     * Made on first use, so an app without OkHttp never loads the cache.
     */
    private volatile Cache<ClassLoader, Consumer<Object>> okHttpHooks;
    /** One grpc-java hook per app class loader that has grpc-java, likewise. */
    private volatile Cache<ClassLoader, GrpcChannelHook> grpcHooks;

    BridgeHooks(Supplier<MeshEngine> engine, ClassLoader agentLoader, Set<String> disabled) {
        this.engine = engine;
        this.agentLoader = agentLoader;
        this.disabled = disabled;
    }

    @Override
    public void okHttpClientBuilding(Object builder) {
        if (disabled.contains("okhttp")) {
            return;
        }
        ClassLoader app = builder.getClass().getClassLoader();
        if (app == null) {
            return;
        }
        Cache<ClassLoader, Consumer<Object>> hooks = okHttpHooks;
        if (hooks == null) {
            synchronized (this) {
                if (okHttpHooks == null) {
                    okHttpHooks = Caffeine.newBuilder().weakKeys().build();
                }
                hooks = okHttpHooks;
            }
        }
        hooks.get(app, this::okHttpHook).accept(builder);
    }

    @SuppressWarnings("unchecked")
    private Consumer<Object> okHttpHook(ClassLoader app) {
        try {
            // The adapter needs OkHttp 3.14+ (request tags, per-chain timeouts, one-shot bodies); an older one stays
            // unmeshed.
            Class.forName("okhttp3.Request$Builder", false, app).getMethod("tag", Class.class, Object.class);
            Class.forName("okhttp3.Interceptor$Chain", false, app)
                    .getMethod("withConnectTimeout", int.class, java.util.concurrent.TimeUnit.class);
            Class.forName("okhttp3.RequestBody", false, app).getMethod("isOneShot");
            ClassLoader adapters = new AdapterClassLoader(app, agentLoader, OKHTTP_ADAPTER, OKHTTP_LIBRARY);
            return (Consumer<Object>) adapters.loadClass("io.weft.agent.instrumentation.okhttp.OkHttpBuilderHook")
                    .getConstructor(Supplier.class).newInstance(engine);
        } catch (ReflectiveOperationException | LinkageError e) {
            AgentLog.warnOnce("OkHttp clients of " + app + " stay out of the mesh: this OkHttp version is not supported,"
                    + " 3.14 or newer is (" + e + ")");
            return b -> { };
        }
    }

    @Override
    public Object grpcChannelBuilding(Object builder, String target, java.util.List<Object> interceptors) {
        if (disabled.contains("grpc")) {
            return null;
        }
        ClassLoader app = builder.getClass().getClassLoader();
        if (app == null) {
            return null;
        }
        Cache<ClassLoader, GrpcChannelHook> hooks = grpcHooks;
        if (hooks == null) {
            synchronized (this) {
                if (grpcHooks == null) {
                    grpcHooks = Caffeine.newBuilder().weakKeys().build();
                }
                hooks = grpcHooks;
            }
        }
        return hooks.get(app, this::grpcHook).building(builder, target, interceptors);
    }

    private GrpcChannelHook grpcHook(ClassLoader app) {
        try {
            ClassLoader adapters = new AdapterClassLoader(app, agentLoader, GRPC_ADAPTER, GRPC_LIBRARY);
            return (GrpcChannelHook) adapters.loadClass("io.weft.agent.instrumentation.grpc.GrpcBuilderHook")
                    .getConstructor(Supplier.class).newInstance(engine);
        } catch (ReflectiveOperationException | LinkageError e) {
            AgentLog.warnOnce("grpc-java channels of " + app + " stay out of the mesh: this grpc-java version is not"
                    + " supported (" + e + ")");
            return (builder, target, interceptors) -> null;
        }
    }

    @Override
    public Object jdkHttpClientBuilt(Object client) {
        if (disabled.contains("jdk-http-client") || !(client instanceof HttpClient http) || builtByTheAgent()) {
            return client;
        }
        return MeshHttpClient.wrap(engine, http);
    }

    /**
     * The runtime's own clients (control-plane polls, health checks) stay plain: they never call mesh services,
     * and the first poll runs while the runtime is still starting.
     */
    private boolean builtByTheAgent() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> !c.getName().startsWith("io.weft.agent.") && !c.getName().startsWith("java.net.http.")
                        && !c.getName().startsWith("jdk.internal.net.http."))
                .findFirst()
                .map(c -> c.getClassLoader() == agentLoader)
                .orElse(false));
    }

    @Override
    public URLConnection urlConnectionOpened(URL url, URLConnection connection) {
        if (disabled.contains("url-connection") || !(connection instanceof HttpURLConnection)) {
            return connection;
        }
        MeshEngine e = engine.get();
        if (e == null || !e.isMeshHost(url.getHost())) {
            return connection;
        }
        // Each attempt opens a plain connection to the endpoint; openConnection(Proxy) is not instrumented.
        return new MeshHttpURLConnection(url, e, u -> (HttpURLConnection) u.openConnection(Proxy.NO_PROXY));
    }

    @Override
    public void failed(String where, Throwable error) {
        AgentLog.warnOnce("the " + where + " instrumentation failed, those calls go on without the mesh: " + error);
    }
}
