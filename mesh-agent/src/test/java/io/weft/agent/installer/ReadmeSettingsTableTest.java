package io.weft.agent.installer;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings table in mesh-agent/README.md is {@link AgentSettings#KNOWN}, with the right property and variable. */
class ReadmeSettingsTableTest {

    @Test
    void theReadmeTableListsEverySettingWithItsSystemPropertyAndEnvironmentVariable() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        Map<String, String> meanings = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 5 || !cells[2].trim().startsWith("`weft.")) {
                continue;
            }
            String key = unquote(cells[1]);
            String property = unquote(cells[2]);
            String env = unquote(cells[3]);
            meanings.put(key, cells[4].trim());
            if (!property.equals("weft." + key)) {
                problems.add(key + ": property " + property);
            }
            if (!env.equals(AgentSettings.envName(key))) {
                problems.add(key + ": environment " + env + ", expected " + AgentSettings.envName(key));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(meanings).as("README.md settings table").containsExactlyEntriesOf(AgentSettings.KNOWN);
    }

    private static String unquote(String cell) {
        String c = cell.trim();
        return c.startsWith("`") && c.endsWith("`") ? c.substring(1, c.length() - 1) : c;
    }
}
