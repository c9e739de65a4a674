package io.weft.agent.instrumentation;

import io.weft.agent.bootstrap.WeftBridge;
import net.bytebuddy.asm.Advice;

import java.net.URL;
import java.net.URLConnection;

/**
 * On the JDK's http(s) {@code URLStreamHandler.openConnection(URL)}, which {@code URL.openConnection()} calls: a URL
 * of a mesh service gets a connection that goes through the mesh. The handlers load when the first http URL is
 * made, so instrumenting them costs nothing at start-up (unlike {@code java.net.URL}, loaded before any agent).
 * {@code openConnection(URL, Proxy)} is left alone: the mesh's own attempts use it.
 */
public final class HandlerOpenConnectionAdvice {

    private HandlerOpenConnectionAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) URL url, @Advice.Return(readOnly = false) URLConnection connection) {
        connection = WeftBridge.urlConnectionOpened(url, connection);
    }
}
