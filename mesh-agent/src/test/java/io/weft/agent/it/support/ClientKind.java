package io.weft.agent.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The HTTP clients the agent puts in the mesh, as the test app uses them (see {@code example.app.App}). */
public enum ClientKind {
    OKHTTP_3("okhttp", "okhttp-3", "okhttp-3.", "okhttp/3."),
    OKHTTP_4("okhttp", "okhttp-4", "okhttp-4.", "okhttp/4."),
    OKHTTP_5("okhttp", "okhttp-5", "okhttp-jvm-5.", "okhttp/5."),
    JDK_HTTP_CLIENT_SYNC("jdk-sync", null, "java.net.http/", "Java-http-client/"),
    JDK_HTTP_CLIENT_ASYNC("jdk-async", null, "java.net.http/", "Java-http-client/"),
    HTTP_URL_CONNECTION("url-connection", null, "java.net.HttpURLConnection/", "Java/");

    private final String appKind;
    private final String libs;
    private final String library;
    private final String userAgent;

    ClientKind(String appKind, String libs, String library, String userAgent) {
        this.appKind = appKind;
        this.libs = libs;
        this.library = library;
        this.userAgent = userAgent;
    }

    /** The app's KIND argument. */
    public String appKind() {
        return appKind;
    }

    /** The app's class path: the apps' jar and this client's library, if it needs one. */
    public List<Path> classpath() {
        List<Path> cp = new ArrayList<>();
        cp.add(ItEnv.appsJar());
        if (libs != null) {
            cp.addAll(ItEnv.libs(libs));
        }
        return cp;
    }

    /** What the app's {@code library=} must start with: proof that the intended version ran. */
    public String library() {
        return library;
    }

    /** How the client's own User-Agent starts. */
    public String userAgent() {
        return userAgent;
    }
}
