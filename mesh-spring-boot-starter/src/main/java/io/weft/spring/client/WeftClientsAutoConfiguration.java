package io.weft.spring.client;

import io.weft.runtime.WeftRuntime;
import io.weft.spring.ConditionalOnNoWeftAgent;
import io.weft.spring.WeftAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.JdkHttpClientBuilder;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

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

    /** Both client modules bring Boot's HTTP client settings, which the mTLS client takes its timeouts from. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HttpClientSettings.class)
    static class MtlsClientsConfiguration {

        /**
         * The one base JDK client of mTLS attempts, made on the first one, with the app's connect timeout and
         * redirects ({@code spring.http.clients.*}); its read timeout bounds RestClient attempts without a per-try
         * timeout.
         */
        @Bean
        @ConditionalOnMissingBean
        MeshMtlsClients weftMtlsClients(ObjectProvider<HttpClientSettings> settingsProvider) {
            HttpClientSettings settings = settingsProvider.getIfAvailable(HttpClientSettings::defaults);
            return new MeshMtlsClients(() -> new JdkHttpClientBuilder().build(settings), settings.readTimeout());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RestClientCustomizer.class)
    static class RestClients {

        @Bean
        RestClientCustomizer weftRestClientCustomizer(WeftRuntime runtime, MeshMtlsClients mtls) {
            MeshClientHttpRequestInterceptor mesh = new MeshClientHttpRequestInterceptor(runtime.engine(), mtls);
            return builder -> builder.requestInterceptor(mesh);
        }

        @Bean
        RestTemplateCustomizer weftRestTemplateCustomizer(WeftRuntime runtime, MeshMtlsClients mtls) {
            MeshClientHttpRequestInterceptor mesh = new MeshClientHttpRequestInterceptor(runtime.engine(), mtls);
            return restTemplate -> restTemplate.getInterceptors().add(mesh);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebClientCustomizer.class, CodecCustomizer.class})
    static class WebClients {

        /** mTLS attempts write and read bodies with Boot's codecs, as Boot's {@code WebClientCodecCustomizer} does. */
        @Bean
        WebClientCustomizer weftWebClientCustomizer(WeftRuntime runtime, MeshMtlsClients mtls,
                                                    ObjectProvider<CodecCustomizer> codecs) {
            ExchangeStrategies strategies = ExchangeStrategies.builder()
                    .codecs(configurer -> codecs.orderedStream().forEach(c -> c.customize(configurer)))
                    .build();
            MeshExchangeFilterFunction mesh = new MeshExchangeFilterFunction(runtime.engine(), mtls, strategies);
            return builder -> builder.filter(mesh);
        }
    }
}
