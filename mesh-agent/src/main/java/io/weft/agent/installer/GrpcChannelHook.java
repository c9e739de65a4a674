package io.weft.agent.installer;

import java.util.List;

/**
 * What the agent does to a grpc-java channel builder; implemented next to the app's grpc-java (see
 * {@link AdapterClassLoader}), seen by the installer through this interface of its own.
 */
public interface GrpcChannelHook {

    /** See {@link io.weft.agent.bootstrap.WeftBridge.Hooks#grpcChannelBuilding}. */
    Object building(Object builder, String target, List<Object> interceptors);
}
