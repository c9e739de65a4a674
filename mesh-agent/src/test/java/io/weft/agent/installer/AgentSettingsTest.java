package io.weft.agent.installer;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class AgentSettingsTest {

    private static AgentSettings read(String args, Map<String, String> sysprops, Map<String, String> env) {
        Function<String, String> p = sysprops::get;
        Function<String, String> e = env::get;
        return AgentSettings.read(args, p, e);
    }

    @Test
    void defaults() {
        AgentSettings s = read(null, Map.of(), Map.of());
        assertThat(s.enabled()).isTrue();
        assertThat(s.controlPlane()).isNull();
        assertThat(s.config()).isNull();
        assertThat(s.awaitConfig()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.logLevel()).isEqualTo("info");
        assertThat(s.disabled()).isEmpty();
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void agentArgumentsWinOverSystemPropertiesWhichWinOverTheEnvironment() {
        AgentSettings s = read("config=/from/args",
                Map.of("weft.config", "/from/props", "weft.awaitConfig", "2s"),
                Map.of("WEFT_CONFIG", "/from/env", "WEFT_AWAIT_CONFIG", "9s", "WEFT_LOG_LEVEL", "debug"));
        assertThat(s.config()).isEqualTo(Path.of("/from/args"));
        assertThat(s.awaitConfig()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.logLevel()).isEqualTo("debug");
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void telemetryIsOffUnlessAskedForAndBadValuesAreNamed() {
        assertThat(read(null, Map.of(), Map.of()).telemetry()).isEqualTo(AgentSettings.Telemetry.NONE);

        AgentSettings s = read("adminPort=9901,accessLog=true,otlpEndpoint=http://127.0.0.1:4318,traceSampling=0.25",
                Map.of(), Map.of());
        assertThat(s.telemetry()).isEqualTo(new AgentSettings.Telemetry(9901, true, URI.create("http://127.0.0.1:4318"), 0.25));
        assertThat(s.warnings()).isEmpty();

        AgentSettings bad = read("adminPort=70000,otlpEndpoint=collector:4318,traceSampling=2", Map.of(),
                Map.of("WEFT_ACCESS_LOG", "yes"));
        assertThat(bad.telemetry()).isEqualTo(AgentSettings.Telemetry.NONE);
        assertThat(bad.warnings()).hasSize(4).anySatisfy(w -> assertThat(w).contains("'adminPort'").contains("70000"))
                .anySatisfy(w -> assertThat(w).contains("'otlpEndpoint'").contains("not an http(s) URL"))
                .anySatisfy(w -> assertThat(w).contains("'traceSampling'").contains("between 0 and 1"))
                .anySatisfy(w -> assertThat(w).contains("'accessLog'").contains("yes"));
    }

    @Test
    void environmentNamesAreSnakeCase() {
        assertThat(AgentSettings.envName("controlPlane")).isEqualTo("WEFT_CONTROL_PLANE");
        assertThat(AgentSettings.envName("hostSuffixes")).isEqualTo("WEFT_HOST_SUFFIXES");
        assertThat(AgentSettings.envName("token")).isEqualTo("WEFT_TOKEN");
    }

    @Test
    void aControlPlaneWithItsServiceAndToken() {
        AgentSettings s = read("service=frontend,controlPlane=http://127.0.0.1:15010,token=abc,cacheDir=/tmp/c,"
                + "hostSuffixes=.svc.cluster.local;.mesh,disabled=okhttp;url-connection", Map.of(), Map.of());
        assertThat(s.service()).isEqualTo("frontend");
        assertThat(s.controlPlane()).isEqualTo("http://127.0.0.1:15010");
        assertThat(read("service=f,controlPlane=http://10.0.0.1:15010;https://10.0.0.2:15010", Map.of(), Map.of())
                .controlPlane()).isEqualTo("http://10.0.0.1:15010,https://10.0.0.2:15010");
        AgentSettings bad = read("service=f,controlPlane=http://10.0.0.1:15010;ftp://x", Map.of(), Map.of());
        assertThat(bad.controlPlane()).isNull();
        assertThat(bad.warnings()).singleElement().asString().contains("controlPlane").contains("ftp://x");
        assertThat(s.token()).isEqualTo("abc");
        assertThat(s.cacheDir()).isEqualTo(Path.of("/tmp/c"));
        assertThat(s.hostSuffixes()).containsExactly(".svc.cluster.local", ".mesh");
        assertThat(s.disabled()).isEqualTo(Set.of("okhttp", "url-connection"));
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void unknownAndMalformedSettingsAreNamedInOneWarningEachAndIgnored() {
        AgentSettings s = read("foo=bar,awaitConfig=xyz,config=/m,noequals,enabled=maybe,disabled=thrift",
                Map.of(), Map.of());
        List<String> w = s.warnings();
        assertThat(w).hasSize(5);
        assertThat(w).filteredOn(x -> x.contains("'foo'")).hasSize(1);
        assertThat(w).filteredOn(x -> x.contains("'awaitConfig'") && x.contains("xyz")).hasSize(1);
        assertThat(w).filteredOn(x -> x.contains("'noequals'")).hasSize(1);
        assertThat(w).filteredOn(x -> x.contains("'enabled'")).hasSize(1);
        assertThat(w).filteredOn(x -> x.contains("'disabled'") && x.contains("thrift")).hasSize(1);
        assertThat(s.awaitConfig()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.enabled()).isTrue();
        assertThat(s.config()).isEqualTo(Path.of("/m"));
    }

    @Test
    void aControlPlaneWithoutAServiceIsNotUsed() {
        AgentSettings s = read("controlPlane=http://127.0.0.1:15010", Map.of(), Map.of());
        assertThat(s.controlPlane()).isNull();
        assertThat(s.warnings()).singleElement().asString().contains("'controlPlane'").contains("'service'");
    }
}
