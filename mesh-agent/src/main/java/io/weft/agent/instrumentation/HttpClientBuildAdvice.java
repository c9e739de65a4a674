package io.weft.agent.instrumentation;

import io.weft.agent.bootstrap.WeftBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** On the JDK's {@code HttpClient.Builder.build()}: the app gets a client whose calls go through the mesh. */
public final class HttpClientBuildAdvice {

    private HttpClientBuildAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object client) {
        client = WeftBridge.jdkHttpClientBuilt(client);
    }
}
