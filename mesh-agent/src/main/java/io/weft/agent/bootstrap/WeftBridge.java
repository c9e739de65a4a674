package io.weft.agent.bootstrap;

import java.net.URL;
import java.net.URLConnection;

/**
 * The only Weft class that instrumented code calls. It lives on the bootstrap class path, so advice inlined into
 * any class (the JDK's own, or an app's OkHttp) can reach it, and it uses JDK types only. The agent sets
 * {@link #hooks} once the runtime is up; until then, and whenever a hook fails, calls go on unmeshed.
 */
public final class WeftBridge {

    /** What the agent does at each instrumented point; implemented inside the agent's own class loader. */
    public interface Hooks {
        /** An {@code okhttp3.OkHttpClient.Builder} is about to become a client. */
        void okHttpClientBuilding(Object builder);

        /** A {@code java.net.http.HttpClient} was built; returns the client the app gets. */
        Object jdkHttpClientBuilt(Object client);

        /** {@code url.openConnection()} returned {@code connection}; returns the connection the app gets. */
        URLConnection urlConnectionOpened(URL url, URLConnection connection);

        /**
         * A grpc-java {@code ManagedChannelImplBuilder} is about to build a channel to {@code target}; may add to
         * its {@code interceptors}. Returns the name-resolver registry the channel is to use, or null to leave it.
         */
        Object grpcChannelBuilding(Object builder, String target, java.util.List<Object> interceptors);

        /** A hook threw; the agent logs it once per kind of failure. */
        void failed(String where, Throwable error);
    }

    private static volatile Hooks hooks;

    private WeftBridge() {
    }

    public static void install(Hooks h) {
        hooks = h;
    }

    public static void okHttpClientBuilding(Object builder) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.okHttpClientBuilding(builder);
        } catch (Throwable t) {
            failed(h, "okhttp", t);
        }
    }

    public static Object jdkHttpClientBuilt(Object client) {
        Hooks h = hooks;
        if (h == null) {
            return client;
        }
        try {
            return h.jdkHttpClientBuilt(client);
        } catch (Throwable t) {
            failed(h, "jdk-http-client", t);
            return client;
        }
    }

    public static URLConnection urlConnectionOpened(URL url, URLConnection connection) {
        Hooks h = hooks;
        // Cheap exit first: this runs for every URL opened in the JVM, jar: and file: ones included.
        if (h == null || url == null || !isHttp(url.getProtocol())) {
            return connection;
        }
        try {
            return h.urlConnectionOpened(url, connection);
        } catch (Throwable t) {
            failed(h, "url-connection", t);
            return connection;
        }
    }

    public static Object grpcChannelBuilding(Object builder, String target, java.util.List<Object> interceptors) {
        Hooks h = hooks;
        if (h == null || target == null) {
            return null;
        }
        try {
            return h.grpcChannelBuilding(builder, target, interceptors);
        } catch (Throwable t) {
            failed(h, "grpc", t);
            return null;
        }
    }

    private static boolean isHttp(String protocol) {
        return "http".equals(protocol) || "https".equals(protocol);
    }

    private static void failed(Hooks h, String where, Throwable t) {
        try {
            h.failed(where, t);
        } catch (Throwable ignored) {
            // Never let the agent's trouble reach the app.
        }
    }
}
