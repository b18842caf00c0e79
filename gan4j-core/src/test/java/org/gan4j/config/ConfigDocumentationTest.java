package org.gan4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.config.ConfigSchema.Field;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every key with its true default. */
class ConfigDocumentationTest {

    private static Map<String, String> documentedDefaults() throws IOException {
        Map<String, String> defaults = new HashMap<>();
        for (String line : Files.readAllLines(RepositoryFiles.resolve("docs/configuration.md"))) {
            String[] cells = line.split("\\|");
            // | `key` | type | `default` | range | meaning |
            if (cells.length >= 6 && cells[1].strip().startsWith("`") && cells[3].strip().startsWith("`")) {
                defaults.put(strip(cells[1]), strip(cells[3]));
            }
        }
        return defaults;
    }

    private static String strip(String cell) {
        return cell.strip().replaceAll("^`|`$", "");
    }

    @Test
    void everyLeafKeyHasARow() throws IOException {
        Map<String, String> documented = documentedDefaults();
        for (Field leaf : ConfigSchema.leaves()) {
            assertThat(documented).as("docs/configuration.md has no row for %s", leaf.path()).containsKey(leaf.path());
        }
        assertThat(documented).hasSize(ConfigSchema.leaves().size());
    }

    @Test
    void everyDocumentedDefaultIsTheRealDefault() throws IOException {
        for (Map.Entry<String, String> row : documentedDefaults().entrySet()) {
            RunConfig config = ConfigLoader.load(null, List.of(row.getKey() + "=" + row.getValue()));
            assertThat(config)
                    .as("docs/configuration.md gives %s = %s as the default", row.getKey(), row.getValue())
                    .isEqualTo(Defaults.config());
        }
    }

    @Test
    void everyEnumValueIsDocumented() throws IOException {
        String doc = Files.readString(RepositoryFiles.resolve("docs/configuration.md"));
        for (Field leaf : ConfigSchema.leaves()) {
            if (leaf.kind() == ConfigSchema.Kind.ENUM) {
                for (String value : ConfigSchema.enumNames(leaf.type())) {
                    assertThat(doc).as("%s value %s", leaf.path(), value).contains("`" + value + "`");
                }
            }
        }
    }
}
