package io.weft.agent.instrumentation;

import io.weft.agent.bootstrap.WeftBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.util.List;

/**
 * On grpc-java's {@code ManagedChannelImplBuilder.build()}, which every Netty, OkHttp and in-process channel builder
 * ends in: a channel to a mesh service gets the mesh's interceptor (innermost), the {@code weft} policy and a
 * resolver registry that resolves its target through the mesh. Fields are read and written directly: the advice is
 * inlined into the builder.
 */
public final class GrpcChannelBuildAdvice {

    private GrpcChannelBuildAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object builder,
                             @Advice.FieldValue("target") String target,
                             @Advice.FieldValue("interceptors") List<Object> interceptors,
                             @Advice.FieldValue(value = "nameResolverRegistry", readOnly = false,
                                     typing = Assigner.Typing.DYNAMIC) Object registry) {
        Object meshed = WeftBridge.grpcChannelBuilding(builder, target, interceptors);
        if (meshed != null) {
            registry = meshed;
        }
    }
}
