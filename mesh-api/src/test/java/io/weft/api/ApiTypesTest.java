package io.weft.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTypesTest {

    @Test
    void serviceNamesAreDnsNames() {
        assertThat(ServiceName.of("orders").value()).isEqualTo("orders");
        assertThat(ServiceName.isValid("orders-v2.shop")).isTrue();
        assertThatThrownBy(() -> ServiceName.of("Orders")).hasMessageContaining("'Orders' is not a valid service name");
        assertThatThrownBy(() -> ServiceName.of("-x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceName.of("")).hasMessageContaining("empty");
    }

    @Test
    void endpointsCheckTheirFields() {
        Endpoint e = Endpoint.of("127.0.0.1", 8080, Map.of("version", "v1"));
        assertThat(e.address()).isEqualTo("127.0.0.1:8080");
        assertThat(e.label("version")).isEqualTo("v1");
        assertThat(Endpoint.of("::1", 80).address()).isEqualTo("[::1]:80");
        assertThatThrownBy(() -> Endpoint.of("h", 0)).hasMessageContaining("port 0");
        assertThatThrownBy(() -> new Endpoint("h", 1, Map.of(), 0)).hasMessageContaining("weight 0");
    }

    @Test
    void requestsAreAbsoluteHttpUrls() {
        MeshRequest r = MeshRequest.get("http://orders/api/items?x=1").header("X-User", "u1").build();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.path()).isEqualTo("/api/items");
        assertThat(r.header("x-user")).isEqualTo("u1");
        assertThat(MeshRequest.get("http://orders").build().path()).isEqualTo("/");
        assertThatThrownBy(() -> MeshRequest.get("/relative").build()).hasMessageContaining("not an absolute http(s) URL");
        assertThatThrownBy(() -> MeshRequest.get("ftp://orders/").build()).hasMessageContaining("not an absolute http(s) URL");
        assertThatThrownBy(() -> MeshRequest.newBuilder("GE T", "http://orders/")).hasMessageContaining("not an HTTP method");
    }

    @Test
    void responsesReportLocalReplies() {
        MeshResponse local = new MeshResponse(429, Map.of("x-weft-local-reply", java.util.List.of("rate-limited")), null, null);
        assertThat(local.localReply()).isEqualTo("rate-limited");
        assertThat(local.body()).isEmpty();
        assertThat(new MeshResponse(200, Map.of(), "ok".getBytes(), Endpoint.of("h", 1)).localReply()).isNull();
    }
}
