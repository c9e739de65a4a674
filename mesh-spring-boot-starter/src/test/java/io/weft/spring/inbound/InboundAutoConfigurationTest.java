package io.weft.spring.inbound;

import io.weft.spring.WeftAutoConfiguration;
import io.weft.spring.WeftRuntimeCustomizer;
import io.weft.spring.support.MeshCerts;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

/** Which inbound beans exist for which app and properties, and how a wrong set-up stops start-up. No server. */
class InboundAutoConfigurationTest {

    private static final AutoConfigurations CONFIGURATIONS =
            AutoConfigurations.of(WeftAutoConfiguration.class, WeftInboundAutoConfiguration.class);

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS);
    private final WebApplicationContextRunner servletWithIdentity = servlet
            .withBean(WeftRuntimeCustomizer.class, () -> MeshCerts.identity(MeshCerts.ORDERS));

    @Test
    void aServletAppWithAServiceNameGetsTheAuthorizationFilter() {
        servlet.withPropertyValues("weft.service=orders").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(InboundMtlsCustomizer.class);
            FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(WeftAuthorizationFilter.class);
            assertThat(registration.getOrder()).isEqualTo(WeftAuthorizationFilter.ORDER);
        });
        servlet.withPropertyValues("spring.application.name=orders").run(context ->
                assertThat(context).hasSingleBean(FilterRegistrationBean.class));
    }

    @Test
    void noFilterWithoutAServiceNameOrWhenTurnedOff() {
        servlet.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
        servlet.withPropertyValues("weft.service=orders", "weft.inbound.authorization=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void aReactiveAppGetsTheWebFilterAndAnAppWithoutServerNeither() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues("weft.service=orders").run(context -> assertThat(context).hasNotFailed()
                        .hasSingleBean(WeftAuthorizationWebFilter.class)
                        .doesNotHaveBean(FilterRegistrationBean.class));
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues("weft.service=orders").run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(WeftAuthorizationWebFilter.class)
                        .doesNotHaveBean(FilterRegistrationBean.class)
                        .doesNotHaveBean(InboundModeCheck.class));
    }

    @Test
    void mtlsWithAnIdentityAndAServiceNameGetsTheServerCustomizer() {
        servletWithIdentity.withPropertyValues("weft.service=orders", "weft.inbound.mtls=true").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(InboundMtlsCustomizer.class));
    }

    @Test
    void mtlsWithoutAMeshIdentityStopsStartUp() {
        assertFailsNaming(servlet, "weft.inbound.mtls", "no mesh identity",
                "weft.service=orders", "weft.inbound.mtls=true");
    }

    @Test
    void mtlsWithoutAServiceNameStopsStartUp() {
        assertFailsNaming(servletWithIdentity, "weft.service", "needs this application's service name",
                "weft.inbound.mtls=true");
    }

    @Test
    void mtlsThatIsNotABooleanStopsStartUp() {
        assertFailsNaming(servletWithIdentity, "weft.inbound.mtls", "boolean",
                "weft.service=orders", "weft.inbound.mtls=yes please");
    }

    @Test
    void mtlsOnAServerOtherThanTomcatStopsStartUp() {
        InboundMtlsCustomizer customizer = new InboundMtlsCustomizer(null);
        assertThatThrownBy(() -> customizer.customize(mock(ConfigurableWebServerFactory.class)))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("weft.inbound.mtls").hasMessageContaining("supported on Tomcat");
    }

    @Test
    void mtlsOverTheAppsOwnTlsStopsStartUp() {
        Connector connector = new Connector("HTTP/1.1");
        ((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).setSSLEnabled(true);
        assertThatThrownBy(() -> new TomcatMtls(null).customize(connector))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("weft.inbound.mtls").hasMessageContaining("remove server.ssl");
    }

    /** Start-up fails; the chain of messages names {@code property} and says {@code why}. */
    private static void assertFailsNaming(WebApplicationContextRunner runner, String property, String why,
                                          String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.append(t).append('\n');
            }
            assertThat(messages.toString()).contains(property).contains(why);
        });
    }
}
