package io.weft.agent.instrumentation;

import io.weft.agent.bootstrap.WeftBridge;
import net.bytebuddy.asm.Advice;

import java.net.URL;
import java.net.URLConnection;

/** On {@code URL.openConnection()}: a URL of a mesh service gets a connection that goes through the mesh. */
public final class UrlOpenConnectionAdvice {

    private UrlOpenConnectionAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This URL url, @Advice.Return(readOnly = false) URLConnection connection) {
        connection = WeftBridge.urlConnectionOpened(url, connection);
    }
}
