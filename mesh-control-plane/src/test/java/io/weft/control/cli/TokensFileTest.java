package io.weft.control.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokensFileTest {

    @TempDir
    Path dir;

    @Test
    void readsServicesAndTokens() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.yaml"), """
                services:
                  orders: 9f2c1e
                  frontend: "41ab"
                """);

        assertThat(TokensFile.load(file)).isEqualTo(Map.of("orders", "9f2c1e", "frontend", "41ab"));
        assertThat(TokensFile.read(file).admin()).isNull();
    }

    @Test
    void readsTheAdminToken() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.yaml"), "services: { orders: 9f2c1e }\nadmin: 7d0e\n");

        assertThat(TokensFile.read(file)).isEqualTo(new Tokens(Map.of("orders", "9f2c1e"), "7d0e"));
    }

    @Test
    void saysWhatIsWrongWithTheFile() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "service:\n  orders: x\n");
        assertThatThrownBy(() -> TokensFile.load(typo)).isInstanceOf(IOException.class)
                .hasMessageContaining("typo.yaml: unknown key 'service'").hasMessageContaining("services: {");

        Path broken = Files.writeString(dir.resolve("broken.yaml"), "services: { orders: x\n");
        assertThatThrownBy(() -> TokensFile.load(broken)).hasMessageContaining("broken.yaml:");

        Path empty = Files.writeString(dir.resolve("empty.yaml"), "services: {}\n");
        assertThatThrownBy(() -> TokensFile.load(empty)).hasMessageContaining("no tokens");
    }
}
