package io.weft.spring;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.inbound.JdkHttpServerSecurity;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.PeerIdentity;
import io.weft.runtime.support.Mesh;
import io.weft.spring.support.MeshCerts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Boot app ({@code frontend}, with a fixed mesh identity) calls {@code orders}, a STRICT service whose server is a
 * JDK HttpsServer behind the mesh's mTLS and rules: RestClient, RestTemplate and WebClient attempts go over mTLS
 * with the app's workload certificate, and the server sees the app's SPIFFE ID.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "weft.service=frontend")
@DirtiesContext
class OutboundMtlsTest {

    private static final String FRONTEND_PEER = "peer=spiffe://weft.local/ns/default/sa/frontend";

    private static final AtomicInteger handled = new AtomicInteger();
    private static HttpsServer orders;
    private static WeftRuntime ordersRuntime;
    private static Path configDir;

    @DynamicPropertySource
    static void mesh(DynamicPropertyRegistry registry) throws IOException {
        orders = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String config = """
                service: orders
                endpoints: [ { address: 127.0.0.1:%d } ]
                policy: { tls: { mode: STRICT } }
                authorization:
                  - name: frontend-api
                    allow: { from: [ "spiffe://weft.local/ns/default/sa/frontend" ], paths: [ "/api/*" ] }
                """.formatted(orders.getAddress().getPort());
        ordersRuntime = WeftRuntime.builder().service("orders").config(Mesh.yaml(config))
                .identity(IdentitySource.of(MeshCerts.ORDERS), null, null).build();
        orders.setHttpsConfigurator(JdkHttpServerSecurity.mtls(ordersRuntime.identity()));
        orders.createContext("/", exchange -> {
            handled.incrementAndGet();
            String peer = PeerIdentity.of(((HttpsExchange) exchange).getSSLSession()).map(Object::toString).orElse("-");
            String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] body = ("peer=" + peer + (sent.isEmpty() ? "" : ";body=" + sent)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }).getFilters().add(JdkHttpServerSecurity.authorization(ordersRuntime.inboundAuthorizer()));
        orders.start();
        configDir = Files.createTempDirectory("weft-outbound-mtls");
        Path file = Files.writeString(configDir.resolve("orders.yaml"), config);
        registry.add("weft.config", file::toString);
    }

    @AfterAll
    static void stop() throws IOException {
        orders.stop(0);
        ordersRuntime.close();
        Files.deleteIfExists(configDir.resolve("orders.yaml"));
        Files.deleteIfExists(configDir);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        WeftRuntimeCustomizer frontendIdentity() {
            return MeshCerts.identity(MeshCerts.FRONTEND);
        }
    }

    @Autowired
    RestClient.Builder restClientBuilder;
    @Autowired
    RestTemplateBuilder restTemplateBuilder;
    @Autowired
    WebClient.Builder webClientBuilder;

    @BeforeEach
    void reset() {
        handled.set(0);
    }

    @Test
    void restClientCallsOverMtlsAsTheAppsWorkload() {
        RestClient client = restClientBuilder.build();
        assertThat(client.get().uri("http://orders/api/items").retrieve().body(String.class)).isEqualTo(FRONTEND_PEER);
        assertThat(client.post().uri("http://orders/api/items").body("one item").retrieve().body(String.class))
                .isEqualTo(FRONTEND_PEER + ";body=one item");
        assertThat(handled).hasValue(2);
    }

    @Test
    void restTemplateCallsOverMtlsAsTheAppsWorkload() {
        RestTemplate template = restTemplateBuilder.build();
        assertThat(template.getForObject("http://orders/api/items", String.class)).isEqualTo(FRONTEND_PEER);
        assertThat(template.postForObject("http://orders/api/items", "two items", String.class))
                .isEqualTo(FRONTEND_PEER + ";body=two items");
        assertThat(handled).hasValue(2);
    }

    @Test
    void webClientCallsOverMtlsAsTheAppsWorkload() {
        WebClient client = webClientBuilder.build();
        assertThat(client.get().uri("http://orders/api/items").retrieve().bodyToMono(String.class)
                .block(Duration.ofSeconds(10))).isEqualTo(FRONTEND_PEER);
        assertThat(client.post().uri("http://orders/api/items").bodyValue("three items").retrieve()
                .bodyToMono(String.class).block(Duration.ofSeconds(10))).isEqualTo(FRONTEND_PEER + ";body=three items");
        assertThat(handled).hasValue(2);
    }

    @Test
    void theServersRulesStillApplyToTheAppsIdentity() {
        HttpStatusCode status = restClientBuilder.build().get().uri("http://orders/admin").exchange(
                (request, response) -> response.getStatusCode());
        assertThat(status.value()).isEqualTo(403);
        String body = webClientBuilder.build().get().uri("http://orders/admin")
                .exchangeToMono(r -> r.bodyToMono(String.class)).block(Duration.ofSeconds(10));
        assertThat(body).isEqualTo("RBAC: access denied\n");
        assertThat(handled).hasValue(0);
    }
}
