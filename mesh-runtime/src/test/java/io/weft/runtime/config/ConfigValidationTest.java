package io.weft.runtime.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every rejection names the file, the line where it can, the field and what is wrong. */
class ConfigValidationTest {

    private final ConfigLoader loader = new ConfigLoader();

    private ConfigException reject(String yaml) {
        try {
            loader.parse("orders.yaml", yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("config was accepted:\n" + yaml);
    }

    @Test
    void aFullConfigParsesWithItsValues() {
        MeshConfig config = loader.parse("orders.yaml", """
                service: orders
                endpoints:
                  - { address: 127.0.0.1:8081, labels: { version: v1, zone: a } }
                  - { address: 127.0.0.1:8082, labels: { version: v2 }, weight: 3 }
                subsets: { v1: { version: v1 }, v2: { version: v2 } }
                routes:
                  - name: beta-users
                    match: { path: { prefix: /api }, methods: [ GET ], headers: { x-beta: { exact: "true" } } }
                    to: [ { subset: v2 } ]
                  - name: default
                    to: [ { subset: v1, weight: 90 }, { subset: v2, weight: 10 } ]
                    timeout: 2s
                    retries: { attempts: 2, on: [ connect-failure, reset, 503 ], perTryTimeout: 500ms }
                    fault: { abort: { percent: 1, status: 503 } }
                    rateLimit: { requestsPerSecond: 500 }
                policy:
                  loadBalancer: least-request
                  circuitBreaker: { failureRatePercent: 50, minimumCalls: 20, openFor: 10s }
                  outlierDetection: { consecutiveErrors: 5, baseEjectionTime: 30s, maxEjectionPercent: 50 }
                  retryBudget: { percent: 20, minPerSecond: 10 }
                  healthCheck: { path: /health, interval: 5s }
                """);
        ServiceConfig s = config.service("orders").orElseThrow();
        assertThat(s.endpoints()).hasSize(2);
        assertThat(s.endpoints().get(1).weight()).isEqualTo(3);
        RouteConfig r = s.routes().get(1);
        assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.retries().perTryTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(r.retries().on()).containsExactly("connect-failure", "reset", "503");
        assertThat(s.policy().loadBalancer().type()).isEqualTo("least-request");
        assertThat(s.policy().circuitBreaker().openFor()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void defaultsAreFilledIn() {
        ServiceConfig s = loader.parse("a.yaml", "service: orders\nendpoints: [ { address: 127.0.0.1:1 } ]\n")
                .service("orders").orElseThrow();
        assertThat(s.policy().loadBalancer().type()).isEqualTo("least-request");
        assertThat(s.policy().outlierDetection().enabled()).isTrue();
        assertThat(s.policy().retryBudget().percent()).isEqualTo(20.0);
        assertThat(s.policy().circuitBreaker()).isNull();
    }

    @Test
    void unknownSubsetIsNamedWithItsFieldAndLine() {
        ConfigException e = reject("""
                service: orders
                subsets: { v1: { version: v1 } }
                routes:
                  - name: canary
                    to:
                      - { subset: v1, weight: 90 }
                      - { subset: v3, weight: 10 }
                """);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.source()).isEqualTo("orders.yaml");
            assertThat(err.path()).isEqualTo("routes[0].to[1].subset");
            assertThat(err.line()).isEqualTo(7);
            assertThat(err.message()).contains("unknown subset 'v3'").contains("v1");
        });
        assertThat(e.getMessage()).contains("orders.yaml:7: routes[0].to[1].subset: unknown subset 'v3'");
    }

    @Test
    void unknownFieldListsTheKnownOnes() {
        ConfigException e = reject("service: orders\nroutes:\n  - name: a\n    timout: 2s\n");
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.path()).isEqualTo("routes[0].timout");
            assertThat(err.line()).isEqualTo(4);
            assertThat(err.message()).contains("unknown field 'timout'").contains("timeout");
        });
    }

    @Test
    void badDurationSaysHowToWriteOne() {
        ConfigException e = reject("service: orders\nroutes:\n  - timeout: 2 seconds\n");
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.path()).isEqualTo("routes[0].timeout");
            assertThat(err.message()).contains("'2 seconds' is not a duration");
        });
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        ConfigException e = reject("""
                service: Orders_Service
                endpoints:
                  - { address: localhost }
                  - { address: 127.0.0.1:99999 }
                routes:
                  - match: { path: { prefix: api, regex: "(" } }
                    retries: { attempts: 20, on: [ sometimes ] }
                    fault: { abort: { percent: 150 } }
                    to: [ { weight: 0 } ]
                policy:
                  loadBalancer: fastest
                  outlierDetection: { maxEjectionPercent: -1 }
                """);
        assertThat(e.errors()).extracting(ConfigError::path).contains(
                "service", "endpoints[0].address", "endpoints[1].address", "routes[0].match.path",
                "routes[0].match.path.regex", "routes[0].match.path.prefix", "routes[0].retries.attempts",
                "routes[0].retries.on[0]", "routes[0].fault.abort.percent", "routes[0].to",
                "policy.loadBalancer", "policy.outlierDetection.maxEjectionPercent");
        assertThat(e.errors()).allSatisfy(err -> assertThat(err.line()).isPositive());
        assertThat(e.getMessage()).contains("unknown load balancer 'fastest' (known: least-request, random, ring-hash, round-robin)");
    }

    @Test
    void ringHashNeedsAKey() {
        ConfigException e = reject("service: orders\npolicy: { loadBalancer: { type: ring-hash } }\n");
        assertThat(e.getMessage()).contains("policy.loadBalancer: ring-hash needs exactly one of hashHeader or hashCookie");
    }

    @Test
    void aServiceDefinedTwiceIsRejected(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "service: orders\n");
        Files.writeString(dir.resolve("b.yaml"), "service: orders\n");
        assertThatThrownBy(() -> loader.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("b.yaml:1: service: service 'orders' is already defined in a.yaml");
    }

    @Test
    void aDirectoryWithMultiDocumentFilesLoads(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("shop.yaml"), "service: orders\n---\nservice: payments\n");
        Files.writeString(dir.resolve("users.json"), "{\"service\": \"users\", \"endpoints\": [{\"address\": \"127.0.0.1:9\"}]}");
        Files.writeString(dir.resolve("notes.txt"), "not config");
        MeshConfig config = loader.load(dir);
        assertThat(config.services()).extracting(ServiceConfig::service).containsExactly("orders", "payments", "users");
    }

    @Test
    void errorsInTheSecondDocumentPointAtItsLines() {
        ConfigException e = reject("service: orders\n---\nservice: payments\nroutes:\n  - to: [ { subset: nope } ]\n");
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.path()).isEqualTo("routes[0].to[0].subset");
            assertThat(err.line()).isEqualTo(5);
        });
    }

    @Test
    void brokenYamlIsRejectedWithALine() {
        ConfigException e = reject("service: orders\nroutes: [ { name: a\n");
        assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.line()).isPositive());
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/mesh")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/mesh: no such file or directory");
    }

    @Test
    void configRoundTripsThroughJson() throws Exception {
        MeshConfig config = loader.parse("a.yaml", """
                service: orders
                endpoints: [ { address: 127.0.0.1:8081, labels: { version: v1 } } ]
                subsets: { v1: { version: v1 } }
                routes: [ { name: r, to: [ { subset: v1 } ], timeout: 1500ms } ]
                policy: { loadBalancer: { type: ring-hash, hashCookie: session } }
                """);
        String json = ConfigMapper.json().writeValueAsString(config.services().get(0));
        MeshConfig again = loader.parse("a.json", json);
        assertThat(again).isEqualTo(config);
    }
}
