package io.weft.spring;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.control.ControlPlane;
import io.weft.control.RunningControlPlane;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.support.Await;
import io.weft.runtime.support.Backends;
import io.weft.spring.support.OrdersMesh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Boot web app ({@code frontend}) with a real control plane on 127.0.0.1: config arrives by long poll, the app
 * registers its own server port with its labels, Actuator's {@code weft} endpoint and health show the real state,
 * and when the control plane stops the app keeps calling on the last good config while its health says DEGRADED.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.application.name=frontend",
        "weft.token=" + ControlPlaneTest.FRONTEND_TOKEN,
        "weft.poll-wait=2s",
        "weft.register=true",
        "weft.register-address=127.0.0.1",
        "weft.labels.version=v7",
        "management.endpoints.web.exposure.include=health,weft",
        "management.endpoint.health.show-details=always"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class ControlPlaneTest {

    static final String FRONTEND_TOKEN = "frontend-token";
    private static final Duration MAX = Duration.ofSeconds(15);

    private static Backends backends;
    private static Path dir;
    private static RunningControlPlane controlPlane;

    @DynamicPropertySource
    static void controlPlane(DynamicPropertyRegistry registry) throws IOException {
        backends = Backends.start(3);
        dir = Files.createTempDirectory("weft-starter-cp");
        OrdersMesh.write(dir.resolve("mesh"), backends);
        controlPlane = ControlPlane.builder().configDir(dir.resolve("mesh")).host("127.0.0.1").port(0).workerThreads(1)
                .tokens(Map.of("frontend", FRONTEND_TOKEN)).build().start();
        registry.add("weft.control-plane", () -> controlPlane.uri().toString());
        registry.add("weft.cache-dir", () -> dir.resolve("cache").toString());
    }

    @AfterAll
    static void stop() throws IOException {
        if (controlPlane != null) {
            controlPlane.close();
        }
        backends.close();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @LocalServerPort
    int port;
    @Autowired
    RestClient.Builder restClient;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Order(1)
    void theConfigComesFromTheControlPlaneAndRoutesCalls() {
        RestClient client = restClient.build();
        for (int i = 0; i < 6; i++) {
            assertThat(client.get().uri("http://orders/v2/items").retrieve().body(String.class)).isEqualTo("b2");
        }
        JsonNode weft = actuator("/actuator/weft");
        assertThat(weft.at("/config/source").asText()).isEqualTo("control-plane");
        assertThat(weft.at("/config/version").asLong()).isPositive();
        assertThat(weft.at("/config/connected").asBoolean()).isTrue();
        assertThat(weft.at("/config/lastError").isNull()).isTrue();
        assertThat(weft.at("/clusters/orders/endpoints")).hasSize(3);
    }

    @Test
    @Order(2)
    void theAppRegistersItsOwnServerPortWithItsLabels() throws Exception {
        Await.until(MAX, "frontend is registered", () -> instances().size() == 1);
        JsonNode instance = instances().get(0);
        assertThat(instance.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(instance.get("port").asInt()).isEqualTo(port);
        assertThat(instance.at("/labels/version").asText()).isEqualTo("v7");
        assertThat(actuator("/actuator/weft").at("/instanceId").asText()).isEqualTo(instance.get("id").asText());
    }

    @Test
    @Order(3)
    void theEndpointExplainsARequestFromQueryParameters() {
        JsonNode x = actuator("/actuator/weft/explain?url=" + encode("http://orders/api/items") + "&method=get&header="
                + encode("x-beta:true"));
        assertThat(x.get("service").asText()).isEqualTo("orders");
        assertThat(x.get("route").asText()).isEqualTo("beta");
        assertThat(x.get("subset").asText()).isEqualTo("v2");
        assertThat(x.at("/endpoint/address").asText()).isEqualTo(backends.get(2).address());
        assertThat(actuator("/actuator/weft/explain?url=" + encode("http://orders/api")).get("route").asText())
                .isEqualTo("default");
        // The config dump holds orders, and frontend with this app as its registered instance.
        assertThat(actuator("/actuator/weft/config").at("/config/services").findValuesAsText("service"))
                .contains("orders", "frontend");
    }

    @Test
    @Order(4)
    void healthIsUpWhileTheControlPlaneAnswers() {
        JsonNode health = actuator("/actuator/health/weft");
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/details/source").asText()).isEqualTo("control-plane");
        assertThat(health.at("/details/connected").asBoolean()).isTrue();
    }

    @Test
    @Order(5)
    void whenTheControlPlaneStopsHealthIsDegradedAndCallsGoOn() throws Exception {
        controlPlane.close();
        controlPlane = null;
        Await.until(MAX, "health says DEGRADED", () -> actuator("/actuator/health/weft").get("status").asText()
                .equals("DEGRADED"));
        JsonNode health = actuator("/actuator/health/weft");
        assertThat(health.at("/details/connected").asBoolean()).isFalse();
        assertThat(health.at("/details/lastError").asText()).contains("unreachable");
        assertThat(health.at("/details/version").asLong()).isPositive();
        // Boot's default status order ignores DEGRADED: the app as a whole stays UP.
        assertThat(actuator("/actuator/health").get("status").asText()).isEqualTo("UP");
        RestClient client = restClient.build();
        for (int i = 0; i < 6; i++) {
            assertThat(client.get().uri("http://orders/v2/items").retrieve().body(String.class)).isEqualTo("b2");
        }
    }

    private JsonNode instances() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(controlPlane.uri().resolve("/v1/instances?service=frontend"))
                .header("Authorization", "Bearer " + FRONTEND_TOKEN).build());
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r.body());
    }

    private JsonNode actuator(String pathAndQuery) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build());
        assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isIn(200, 503);
        return json(r.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return ConfigMapper.json().readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
