package io.weft.control.auth;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenAuthenticatorTest {

    private final TokenAuthenticator auth = new TokenAuthenticator(Map.of("orders", "t-orders", "frontend", "t-front"));

    @Test
    void aTokenNamesItsService() throws Exception {
        Caller caller = auth.authenticate("Bearer t-orders");

        assertThat(caller.mayActFor("orders")).isTrue();
        assertThat(caller.mayActFor("frontend")).isFalse();
        assertThat(caller).hasToString("orders");
    }

    @Test
    void rejectsMissingMalformedAndUnknownTokens() {
        for (String header : new String[] {null, "", "t-orders", "Basic t-orders", "Bearer", "Bearer ", "Bearer t-order",
                "Bearer t-orders2"}) {
            assertThatThrownBy(() -> auth.authenticate(header)).as(String.valueOf(header))
                    .isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void refusesAmbiguousOrEmptyTokens() {
        assertThatThrownBy(() -> new TokenAuthenticator(Map.of("a", "same", "b", "same")))
                .hasMessageContaining("same token");
        assertThatThrownBy(() -> new TokenAuthenticator(Map.of("a", " "))).hasMessageContaining("empty");
        assertThatThrownBy(() -> new TokenAuthenticator(Map.of("Not_A_Service", "x"))).hasMessageContaining("Not_A_Service");
        assertThatThrownBy(() -> new TokenAuthenticator(Map.of())).hasMessageContaining("no tokens");
    }

    @Test
    void withoutAuthEveryoneMayActForAnyService() throws Exception {
        assertThat(Authenticator.none().authenticate(null).mayActFor("orders")).isTrue();
        assertThat(Authenticator.none().authenticate(null).isAdmin()).isTrue();
    }

    @Test
    void theAdminTokenWritesConfigAndNothingElse() throws Exception {
        TokenAuthenticator withAdmin = new TokenAuthenticator(Map.of("orders", "t-orders"), "t-admin");

        Caller admin = withAdmin.authenticate("Bearer t-admin");
        assertThat(admin.isAdmin()).isTrue();
        assertThat(admin.mayActFor("orders")).isFalse();
        assertThat(withAdmin.authenticate("Bearer t-orders").isAdmin()).isFalse();
        assertThat(auth.authenticate("Bearer t-orders").isAdmin()).as("no admin token, no admin").isFalse();
        assertThatThrownBy(() -> new TokenAuthenticator(Map.of("orders", "same"), "same"))
                .hasMessageContaining("also the token of service 'orders'");
    }
}
