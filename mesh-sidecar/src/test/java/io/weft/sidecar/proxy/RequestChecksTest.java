package io.weft.sidecar.proxy;

import io.weft.sidecar.support.StrictRequestRules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written authority scan agrees with RFC 3986's grammar, as the strict test backend's regex reads it. */
class RequestChecksTest {

    @Test
    void authoritiesAreTheGrammars() {
        for (String s : List.of("orders", "orders:8080", "127.0.0.1:1", "[::1]:443", "[::1]", "a%20b", "", ":", ":80",
                "or ders", "a@b", "[]", "[::1", "[::1]x", "a%2", "a%zz", "orders:80a", "or/ders", "ö", "a:b:c")) {
            assertThat(RequestChecks.isAuthority(s)).as("'%s'", s)
                    .isEqualTo(StrictRequestRules.AUTHORITY.matcher(s).matches());
        }
    }

    @Test
    void randomStringsAreJudgedAsTheGrammarDoes() {
        String alphabet = "aZ09-._~!$&'()*+,;=%:[]@/ ?#fF";
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThat(RequestChecks.isAuthority(s)).as("'%s'", s)
                    .isEqualTo(StrictRequestRules.AUTHORITY.matcher(s).matches());
        }
    }
}
