package io.weft.runtime.inbound;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The ways to write {@code /admin} that a server maps to {@code /admin}, all seen as {@code /admin} by the rules. */
class RequestPathsTest {

    @ParameterizedTest
    @CsvSource({
            "/admin, /admin",
            "/admin?x=1, /admin",
            "/%61dmin, /admin",
            "/api/../admin, /admin",
            "/./admin, /admin",
            "//admin, /admin",
            "/api/%2e%2e/admin, /admin",
            "/api%2F..%2Fadmin, /admin",
            "/../../admin, /admin",
            "/api/items/, /api/items/",
            "/api/., /api/",
            "/, /",
            "'', /",
            "/a%zz, /a%zz",
            "/a%2, /a%2",
            "/caf%C3%A9, /café",
            "/orders.Orders/Get, /orders.Orders/Get",
            "/.well-known/x, /.well-known/x"
    })
    void normalizesAsAServerMapsThePath(String raw, String expected) {
        assertThat(RequestPaths.normalize(raw)).isEqualTo(expected);
        assertThat(new InboundRequest(null, false, "GET", raw).path()).isEqualTo(expected);
    }
}
