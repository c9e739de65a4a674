package io.weft.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.weft.api.MeshClient;
import io.weft.api.MeshRequest;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.support.Backends;
import io.weft.spring.actuate.WeftEndpoint;
import io.weft.spring.support.OrdersMesh;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Boot app whose RestClient, RestTemplate and WebClient come from Boot's builders: calls to http://orders/ are
 * balanced over three real backends, routed by header and path, retried on another endpoint after a 503, measured
 * in the app's registry and traced with the app's OpenTelemetry.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"weft.service=frontend", "management.endpoints.web.exposure.include=weft"})
@DirtiesContext
class MeshedClientsTest {

    private static Backends backends;
    private static Path configDir;

    @DynamicPropertySource
    static void mesh(DynamicPropertyRegistry registry) throws IOException {
        backends = Backends.start(3);
        configDir = Files.createTempDirectory("weft-starter-test");
        registry.add("weft.config", () -> OrdersMesh.write(configDir, backends).toString());
    }

    @AfterAll
    static void stopBackends() throws IOException {
        backends.close();
        Files.deleteIfExists(configDir.resolve("orders.yaml"));
        Files.deleteIfExists(configDir);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        InMemorySpanExporter spans() {
            return InMemorySpanExporter.create();
        }

        @Bean
        OpenTelemetry openTelemetry(InMemorySpanExporter spans) {
            return OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();
        }
    }

    @Autowired
    RestClient.Builder restClientBuilder;
    @Autowired
    RestTemplateBuilder restTemplateBuilder;
    @Autowired
    WebClient.Builder webClientBuilder;
    @Autowired
    MeterRegistry registry;
    @Autowired
    InMemorySpanExporter spans;
    @Autowired
    WeftRuntime runtime;
    @Autowired
    MeshClient meshClient;
    @Autowired
    WeftEndpoint endpoint;

    @BeforeEach
    void reset() {
        backends.all().forEach(Backends.Backend::respondOk);
        backends.resetCounts();
        spans.reset();
    }

    /** The three ways to call, each as "GET url with headers, return the body". */
    private Map<String, Function<Call, String>> clients() {
        RestClient restClient = restClientBuilder.build();
        RestTemplate restTemplate = restTemplateBuilder.build();
        WebClient webClient = webClientBuilder.build();
        Map<String, Function<Call, String>> clients = new java.util.LinkedHashMap<>();
        clients.put("RestClient", c -> restClient.get().uri(c.url).headers(h -> c.headers.forEach(h::set))
                .retrieve().body(String.class));
        clients.put("RestTemplate", c -> restTemplate.exchange(c.url, org.springframework.http.HttpMethod.GET,
                new org.springframework.http.HttpEntity<>(headers(c.headers)), String.class).getBody());
        clients.put("WebClient", c -> webClient.get().uri(c.url).headers(h -> c.headers.forEach(h::set))
                .retrieve().bodyToMono(String.class).block(java.time.Duration.ofSeconds(10)));
        return clients;
    }

    private static org.springframework.http.HttpHeaders headers(Map<String, String> values) {
        org.springframework.http.HttpHeaders h = new org.springframework.http.HttpHeaders();
        values.forEach(h::set);
        return h;
    }

    private record Call(String url, Map<String, String> headers) {
        static Call get(String url, String... headerPairs) {
            Map<String, String> h = new HashMap<>();
            for (int i = 0; i < headerPairs.length; i += 2) {
                h.put(headerPairs[i], headerPairs[i + 1]);
            }
            return new Call(url, h);
        }
    }

    @Test
    void everyClientIsBalancedOverTheThreeBackends() {
        clients().forEach((name, client) -> {
            backends.resetCounts();
            Map<String, Integer> bodies = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                bodies.merge(client.apply(Call.get("http://orders/api/items")), 1, Integer::sum);
            }
            assertThat(bodies).as(name).isEqualTo(Map.of("b0", 10, "b1", 10, "b2", 10));
            assertThat(backends.counts()).as(name).containsExactly(10, 10, 10);
        });
    }

    @Test
    void everyClientIsRoutedByHeaderAndPath() {
        clients().forEach((name, client) -> {
            for (int i = 0; i < 6; i++) {
                assertThat(client.apply(Call.get("http://orders/api/items", "x-beta", "true"))).as(name).isEqualTo("b2");
                assertThat(client.apply(Call.get("http://orders/v2/items"))).as(name).isEqualTo("b2");
            }
        });
        assertThat(backends.get(0).count() + backends.get(1).count()).isZero();
    }

    @Test
    void a503IsRetriedOnAnotherEndpoint() {
        backends.get(0).respond(r -> new MockResponse().setResponseCode(HttpStatus.SERVICE_UNAVAILABLE.value()).setBody("b0 down"));
        clients().forEach((name, client) -> {
            for (int i = 0; i < 9; i++) {
                assertThat(client.apply(Call.get("http://orders/flaky/items"))).as(name).isIn("b1", "b2");
            }
        });
        // Round robin starts a third of the calls on b0; each of those was answered 503 and sent again elsewhere.
        assertThat(backends.get(0).count()).isPositive();
        assertThat(backends.get(1).count() + backends.get(2).count()).isEqualTo(27);
        assertThat(registry.get("weft.client.retries").tag("service", "orders").tag("route", "flaky").counter().count())
                .isEqualTo(backends.get(0).count());
    }

    @Test
    void callsAreMeasuredInTheAppsRegistry() {
        RestClient restClient = restClientBuilder.build();
        double before = successes("beta");
        for (int i = 0; i < 5; i++) {
            restClient.get().uri("http://orders/api").header("x-beta", "true").retrieve().body(String.class);
        }
        assertThat(successes("beta") - before).isEqualTo(5);
        Timer timer = registry.get("weft.client.requests").tag("route", "beta").tag("outcome", "success").timer();
        assertThat(timer.getId().getTag("service")).isEqualTo("orders");
        assertThat(timer.getId().getTag("subset")).isEqualTo("v2");
        assertThat(timer.getId().getTag("endpoint")).isEqualTo(backends.get(2).address());
        assertThat(timer.getId().getTag("method")).isEqualTo("GET");
        assertThat(timer.getId().getTag("status")).isEqualTo("2xx");
        assertThat(runtime.meterRegistry()).isSameAs(registry);
        assertThat(registry.find("weft.client.endpoints").gauges()).isNotEmpty();
    }

    private double successes(String route) {
        Timer t = registry.find("weft.client.requests").tag("route", route).tag("outcome", "success").timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void eachAttemptIsAClientSpanOfTheAppsOpenTelemetryAndCarriesItsContext() throws Exception {
        backends.get(2).respond(r -> new MockResponse().setBody(String.valueOf(r.getHeader("traceparent"))));
        String traceparent = restClientBuilder.build().get().uri("http://orders/v2/x").retrieve().body(String.class);
        assertThat(spans.getFinishedSpanItems()).hasSize(1);
        var span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.CLIENT);
        assertThat(traceparent).contains(span.getTraceId()).contains(span.getSpanId());
    }

    @Test
    void hostsOutsideTheMeshPassUntouched() {
        String direct = "http://" + backends.get(1).address() + "/direct";
        for (int i = 0; i < 3; i++) {
            assertThat(restClientBuilder.build().get().uri(direct).retrieve().body(String.class)).isEqualTo("b1");
        }
        assertThat(backends.counts()).containsExactly(0, 3, 0);
    }

    @Test
    void theMeshClientBeanAndTheEndpointExplainTheSameRoute() {
        MeshRequest beta = MeshRequest.get("http://orders/api").header("x-beta", "true").build();
        assertThat(meshClient.explain(beta).route()).isEqualTo("beta");
        @SuppressWarnings("unchecked")
        Map<String, Object> explained = (Map<String, Object>) endpoint.part("explain", "http://orders/api", null,
                List.of("x-beta:true"));
        assertThat(explained).containsEntry("service", "orders").containsEntry("route", "beta").containsEntry("subset", "v2");
        @SuppressWarnings("unchecked")
        Map<String, Object> clusters = (Map<String, Object>) endpoint.part("clusters", null, null, null);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) ((Map<String, Object>) clusters.get("orders")).get("endpoints");
        assertThat(endpoints).hasSize(3).allSatisfy(e -> assertThat(e)
                .containsEntry("state", "available").containsEntry("ejected", false).containsEntry("breaker", "none"));
    }
}
