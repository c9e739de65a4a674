package io.weft.control.registry;

import io.weft.runtime.control.RegistrationRequest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrationValidatorTest {

    @Test
    void acceptsHostNamesAndIpAddresses() {
        for (String host : new String[] {"10.0.0.1", "orders-1.svc.cluster.local", "localhost", "::1", "[::1]",
                "2001:db8::7", "ip-10-0-0-1_x.internal"}) {
            assertThat(RegistrationValidator.problems(new RegistrationRequest("orders", host, 8080, null)))
                    .as(host).isEmpty();
        }
        assertThat(RegistrationValidator.normalizeHost(" [::1] ")).isEqualTo("::1");
    }

    @Test
    void rejectsWhatIsNotAHost() {
        for (String host : new String[] {"", " ", "10.0.0.1:80", "http://x", "999.1.1.1", "a b", "-x", "x/y", "::g"}) {
            assertThat(RegistrationValidator.problems(new RegistrationRequest("orders", host, 8080, null)))
                    .as(host).singleElement().asString().startsWith("address: ");
        }
    }

    @Test
    void reportsEveryProblemWithItsField() {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 33; i++) {
            labels.put("k" + i, "v");
        }
        labels.put("k".repeat(64), "v");
        labels.put("long", "v".repeat(64));

        assertThat(RegistrationValidator.problems(new RegistrationRequest("Orders", null, 0, labels)))
                .anyMatch(p -> p.startsWith("service: "))
                .anyMatch(p -> p.startsWith("address: "))
                .anyMatch(p -> p.startsWith("port: 0 "))
                .anyMatch(p -> p.startsWith("labels: 35 labels"))
                .anyMatch(p -> p.startsWith("labels: key 'kkkk"))
                .anyMatch(p -> p.startsWith("labels.long: "));
    }

    @Test
    void allowsExactlyTheLimits() {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 31; i++) {
            labels.put("k" + i, "v");
        }
        labels.put("k".repeat(63), "v".repeat(63));

        assertThat(RegistrationValidator.problems(new RegistrationRequest("orders", "10.0.0.1", 65535, labels))).isEmpty();
        assertThat(RegistrationValidator.problems(new RegistrationRequest("orders", "10.0.0.1", 1, null))).isEmpty();
    }
}
