package io.weft.agent.instrumentation;

import io.weft.agent.bootstrap.WeftBridge;
import net.bytebuddy.asm.Advice;

/** On {@code new OkHttpClient(builder)}, which every OkHttp 3, 4 and 5 client goes through: let the mesh in. */
public final class OkHttpClientAdvice {

    private OkHttpClientAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object builder) {
        WeftBridge.okHttpClientBuilding(builder);
    }
}
