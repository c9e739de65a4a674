package io.weft.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.support.Mesh;
import io.weft.runtime.support.MeshTestBase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin port over real HTTP, against a runtime with real backends. */
class AdminServerTest extends MeshTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected WeftRuntime.Builder configure(WeftRuntime.Builder builder) {
        return builder.adminPort(0);
    }

    private HttpResponse<String> admin(String pathAndQuery) throws Exception {
        return admin("GET", pathAndQuery);
    }

    private HttpResponse<String> admin(String method, String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.adminPort() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void orders() {
        mesh("service: orders\n" + Mesh.endpoints(backends, "v1", "v1", "v2")
                + "subsets: { v2: { version: v2 } }\n"
                + "routes:\n"
                + "  - { name: beta, match: { headers: { x-beta: { exact: \"true\" } } }, to: [ { subset: v2 } ] }\n"
                + "  - { name: default }\n");
    }

    @Test
    void readyAndThePrometheusScrapeShowTheCallsMade() throws Exception {
        orders();
        assertThat(admin("/ready").statusCode()).isEqualTo(200);
        for (int i = 0; i < 6; i++) {
            assertThat(get("http://orders/api/items").status()).isEqualTo(200);
        }
        HttpResponse<String> scrape = admin("/stats/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(scrape.body())
                .contains("weft_client_requests_seconds_count{")
                .contains("weft_client_requests_seconds_bucket{")
                .contains("weft_client_endpoints{service=\"orders\",state=\"available\"} 3.0")
                .contains("weft_config_version");
        long calls = scrape.body().lines()
                .filter(l -> l.startsWith("weft_client_requests_seconds_count{") && l.contains("route=\"default\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(calls).isEqualTo(6);
        assertThat(admin("/metrics").body()).contains("weft_client_requests_seconds_count{");
    }

    @Test
    void configDumpClustersAndExplainDescribeTheMesh() throws Exception {
        orders();
        JsonNode dump = JSON.readTree(admin("/config_dump").body());
        assertThat(dump.at("/status/source").asText()).isEqualTo("none");
        assertThat(dump.at("/config/services/0/service").asText()).isEqualTo("orders");
        assertThat(dump.at("/config/services/0/routes/0/name").asText()).isEqualTo("beta");

        backends.get(0).respondStatus(503);
        JsonNode clusters = JSON.readTree(admin("/clusters").body());
        assertThat(clusters.at("/orders/endpoints")).hasSize(3);
        assertThat(clusters.at("/orders/endpoints/0/state").asText()).isEqualTo("available");
        assertThat(clusters.at("/orders/endpoints/0/breaker").asText()).isIn("closed", "none");

        String url = URLEncoder.encode("http://orders/api/items", StandardCharsets.UTF_8);
        JsonNode beta = JSON.readTree(admin("/explain?url=" + url + "&header=x-beta:true").body());
        assertThat(beta.get("route").asText()).isEqualTo("beta");
        assertThat(beta.get("subset").asText()).isEqualTo("v2");
        assertThat(beta.at("/endpoint/labels/version").asText()).isEqualTo("v2");
        assertThat(beta.get("steps").size()).isGreaterThan(1);
        JsonNode plain = JSON.readTree(admin("/explain?url=" + url + "&method=post").body());
        assertThat(plain.get("route").asText()).isEqualTo("default");
        assertThat(plain.get("endpoints")).hasSize(3);
    }

    @Test
    void badAdminRequestsGetAClearClientError() throws Exception {
        orders();
        HttpResponse<String> noUrl = admin("/explain");
        assertThat(noUrl.statusCode()).isEqualTo(400);
        assertThat(noUrl.body()).contains("url=");
        assertThat(admin("/explain?url=" + URLEncoder.encode("http://orders/x", StandardCharsets.UTF_8)
                + "&header=nocolon").body()).contains("name:value");
        assertThat(admin("/explain?url=%3A%3A").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = admin("/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("/config_dump");
        assertThat(admin("POST", "/ready").statusCode()).isEqualTo(405);
        assertThat(admin("/ready").statusCode()).as("still serving").isEqualTo(200);
    }
}
