package io.weft.samples.spring;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as shipped, against its three backends on free ports: the shipped mesh/orders.yaml is used with
 * only the addresses changed to theirs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTest {

    private static OrdersBackends backends;

    @DynamicPropertySource
    static void mesh(DynamicPropertyRegistry registry) throws IOException {
        backends = OrdersBackends.start(0);
        String yaml;
        try (InputStream in = ShopApplication.class.getResourceAsStream("/mesh/orders.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (int i = 0; i < 3; i++) {
            yaml = yaml.replace("127.0.0.1:" + (18081 + i), backends.addresses().get(i));
        }
        Path file = Files.createTempFile("orders", ".yaml");
        Files.writeString(file, yaml);
        file.toFile().deleteOnExit();
        registry.add("weft.config", file::toString);
    }

    @AfterAll
    static void stop() {
        backends.close();
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void itemsComeFromBothV1InstancesAndTestersReachV2() throws Exception {
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            answers.add(get("/items", null));
        }
        assertThat(answers).containsExactlyInAnyOrder("orders-v1-a", "orders-v1-b");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/items", "true")).isEqualTo("orders-v2");
        }
    }

    @Test
    void actuatorShowsTheMesh() throws Exception {
        assertThat(get("/actuator/health/weft", null)).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/weft/explain?url=http://orders/api/items&header=x-beta:true", null))
                .contains("\"route\":\"beta\"");
    }

    private String get(String path, String beta) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (beta != null) {
            request.header("x-beta", beta);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body().trim();
    }
}
