package io.weft.runtime.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpiffeIdTest {

    @Test
    void aWorkloadIdFormatsParsesAndNamesItsParts() {
        SpiffeId id = SpiffeId.forWorkload("weft.local", "default", "orders");

        assertThat(id.toString()).isEqualTo("spiffe://weft.local/ns/default/sa/orders");
        assertThat(SpiffeId.parse(id.toString())).isEqualTo(id);
        assertThat(id.trustDomain()).isEqualTo("weft.local");
        assertThat(id.namespace()).hasValue("default");
        assertThat(id.service()).hasValue("orders");
        assertThat(id.isIn("weft.local")).isTrue();
        assertThat(id.isIn("other.local")).isFalse();
    }

    @Test
    void anyValidSpiffeIdParsesButOnlyWorkloadShapesHaveAService() {
        assertThat(SpiffeId.parse("spiffe://example.org").path()).isEmpty();
        SpiffeId other = SpiffeId.parse("spiffe://example.org/team_a/Batch-1.2");
        assertThat(other.service()).isEmpty();
        assertThat(other.namespace()).isEmpty();
        assertThat(SpiffeId.parse("spiffe://td/ns/x/sa/y/extra").service()).isEmpty();
    }

    @Test
    void invalidIdsAreRefusedSayingWhatIsWrong() {
        assertRefused("", "empty");
        assertRefused("https://weft.local/ns/a/sa/b", "must start with spiffe://");
        assertRefused("SPIFFE://weft.local/ns/a/sa/b", "lowercase spiffe://");
        assertRefused("spiffe:///ns/a/sa/b", "trust domain is missing");
        assertRefused("spiffe://Weft.local/ns/a", "not 'W'");
        assertRefused("spiffe://weft.local:8080/ns/a", "not ':'");
        assertRefused("spiffe://user@weft.local/ns/a", "not '@'");
        assertRefused("spiffe://weft.local/ns//sa/b", "empty segment");
        assertRefused("spiffe://weft.local/ns/a/", "ends with '/'");
        assertRefused("spiffe://weft.local/ns/../sa/b", "'..'");
        assertRefused("spiffe://weft.local/ns/a?x=1", "not '?'");
        assertRefused("spiffe://weft.local/ns/a#frag", "not '#'");
        assertRefused("spiffe://weft.local/ns/a b", "not ' '");
        assertRefused("spiffe://weft.local/" + "a".repeat(2100), "longer than 2048");
        assertThat(SpiffeId.isValid("spiffe://weft.local/ns/a")).isTrue();
        assertThat(SpiffeId.isValid("spiffe://weft.local/ns/a/")).isFalse();
    }

    @Test
    void factoriesValidateToo() {
        assertThatThrownBy(() -> SpiffeId.forWorkload("weft.local", "team a", "orders"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not ' '");
        assertThatThrownBy(() -> new SpiffeId("", "/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trust domain is missing");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> SpiffeId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
