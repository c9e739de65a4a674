package io.weft.spring.grpc;

import io.grpc.ManagedChannel;
import io.weft.runtime.WeftRuntime;
import io.weft.spring.ConditionalOnNoWeftAgent;
import io.weft.spring.WeftAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** {@link WeftGrpcChannels} when grpc-java is on the class path. */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnClass({WeftRuntime.class, ManagedChannel.class})
@ConditionalOnNoWeftAgent
@ConditionalOnBean(WeftRuntime.class)
public class WeftGrpcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public WeftGrpcChannels weftGrpcChannels(WeftRuntime runtime) {
        return new WeftGrpcChannels(runtime);
    }
}
