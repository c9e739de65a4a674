package io.weft.spring.client;

import io.weft.runtime.WeftRuntime;
import io.weft.spring.ConditionalOnNoWeftAgent;
import io.weft.spring.WeftAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Meshes the clients that Boot's builders make: every {@code RestClient.Builder}, {@code RestTemplateBuilder} and
 * {@code WebClient.Builder} bean gets the mesh adapter, so {@code http://<service>/…} goes through the engine.
 * Clients built with {@code RestClient.create()} or {@code new RestTemplate()} do not pass through Boot's builders;
 * add {@link MeshClientHttpRequestInterceptor} or {@link MeshExchangeFilterFunction} to them yourself.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class)
@ConditionalOnClass(WeftRuntime.class)
@ConditionalOnBooleanProperty(name = "weft.clients.enabled", matchIfMissing = true)
@ConditionalOnNoWeftAgent
@ConditionalOnBean(WeftRuntime.class)
public class WeftClientsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RestClientCustomizer.class)
    static class RestClients {

        @Bean
        RestClientCustomizer weftRestClientCustomizer(WeftRuntime runtime) {
            MeshClientHttpRequestInterceptor mesh = new MeshClientHttpRequestInterceptor(runtime.engine());
            return builder -> builder.requestInterceptor(mesh);
        }

        @Bean
        RestTemplateCustomizer weftRestTemplateCustomizer(WeftRuntime runtime) {
            MeshClientHttpRequestInterceptor mesh = new MeshClientHttpRequestInterceptor(runtime.engine());
            return restTemplate -> restTemplate.getInterceptors().add(mesh);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebClientCustomizer.class)
    static class WebClients {

        @Bean
        WebClientCustomizer weftWebClientCustomizer(WeftRuntime runtime) {
            MeshExchangeFilterFunction mesh = new MeshExchangeFilterFunction(runtime.engine());
            return builder -> builder.filter(mesh);
        }
    }
}
