package org.gan4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    @TempDir
    Path dir;

    private static MetricsRow row(long step, double lossD, double lossG) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("epoch", 0.5);
        values.put("lossD", lossD);
        values.put("lossG", lossG);
        return MetricsRow.of(step, values);
    }

    @Test
    void appendsOneLinePerRowAndReadsThemBackInOrder() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(row(1, 0.25, 1.5));
            log.append(row(2, Double.NaN, Double.POSITIVE_INFINITY).withExtra("warning", "loss is NaN"));
            log.append(row(3, Double.NEGATIVE_INFINITY, -0.125));
            // Flushed per write: visible before close.
            assertThat(Files.readAllLines(file)).hasSize(3);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("{\"step\":1,\"epoch\":0.5,\"lossD\":0.25,\"lossG\":1.5}");
        assertThat(lines.get(1)).isEqualTo(
                "{\"step\":2,\"epoch\":0.5,\"lossD\":\"NaN\",\"lossG\":\"Infinity\",\"warning\":\"loss is NaN\"}");
        List<MetricsRow> rows = MetricsLog.read(file);
        assertThat(rows).extracting(MetricsRow::step).containsExactly(1L, 2L, 3L);
        assertThat(rows.get(0).values().keySet()).containsExactly("epoch", "lossD", "lossG");
        assertThat(rows.get(0).value("lossG")).hasValue(1.5);
        assertThat(rows.get(1).values().get("lossD")).isNaN();
        assertThat(rows.get(1).values().get("lossG")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(rows.get(1).extras().get("warning").asText()).isEqualTo("loss is NaN");
        assertThat(rows.get(2).values().get("lossD")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(rows.get(2).value("missing")).isEmpty();
        assertThat(rows.get(1)).isEqualTo(row(2, Double.NaN, Double.POSITIVE_INFINITY)
                .withExtra("warning", "loss is NaN"));
    }

    @Test
    void syncKeepsTheRowsAndNeedsNoOpenLog() throws IOException {
        Path file = dir.resolve("synced.jsonl");
        MetricsLog.sync(file); // no file yet: nothing to do
        assertThat(file).doesNotExist();
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(row(1, 1, 1));
            MetricsLog.sync(file); // while the log is open, as training does before a checkpoint
            log.append(row(2, 2, 2));
        }
        assertThat(MetricsLog.read(file)).extracting(MetricsRow::step).containsExactly(1L, 2L);
        Path folder = Files.createDirectories(dir.resolve("a-folder.jsonl"));
        assertThatThrownBy(() -> MetricsLog.sync(folder)).isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith("cannot sync " + folder);
    }

    @Test
    void reopeningAppends() throws IOException {
        Path file = dir.resolve("m.jsonl");
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(row(1, 1, 1));
        }
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(row(2, 2, 2));
        }
        assertThat(MetricsLog.read(file)).extracting(MetricsRow::step).containsExactly(1L, 2L);
    }

    @Test
    void truncatedLastLineIsIgnoredAndRepairedOnOpen() throws IOException {
        Path file = dir.resolve("m.jsonl");
        Files.writeString(file, "{\"step\":1,\"lossD\":0.5}\n{\"step\":2,\"lossD\":0.4}\n{\"step\":3,\"lo");
        assertThat(MetricsLog.read(file)).extracting(MetricsRow::step).containsExactly(1L, 2L);
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(row(3, 0.3, 0.3));
        }
        assertThat(Files.readAllLines(file)).hasSize(3);
        assertThat(MetricsLog.read(file)).extracting(MetricsRow::step).containsExactly(1L, 2L, 3L);
    }

    @Test
    void malformedMiddleLineIsAnErrorNamingTheLine() throws IOException {
        Path file = dir.resolve("m.jsonl");
        Files.writeString(file, "{\"step\":1}\n\n{\"step\":2,\"x\":}\n{\"step\":3}\n");
        assertThatThrownBy(() -> MetricsLog.read(file))
                .isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith(file + " line 3 is not a valid metrics row")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Files.writeString(file, "{\"step\":1}\n{\"lossD\":2}\n{\"step\":3}\n");
        assertThatThrownBy(() -> MetricsLog.read(file))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("\"step\"");
    }

    @Test
    void missingFileIsAnError() {
        Path file = dir.resolve("none.jsonl");
        assertThatThrownBy(() -> MetricsLog.read(file))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("metrics file " + file + " does not exist");
    }

    @Test
    void truncateAfterKeepsRowsUpToTheStepVerbatim() throws IOException {
        Path file = dir.resolve("m.jsonl");
        String kept = "{\"step\":100,\"lossD\":\"NaN\"}\n{\"step\":200, \"lossD\":1}\n";
        Files.writeString(file, kept + "{\"step\":300,\"lossD\":2}\n{\"step\":400,\"lo", StandardCharsets.UTF_8);
        MetricsLog.truncateAfter(file, 250);
        assertThat(Files.readString(file)).isEqualTo(kept);
        MetricsLog.truncateAfter(dir.resolve("absent.jsonl"), 5);
        assertThat(dir.resolve("absent.jsonl")).doesNotExist();
    }

    @Test
    void bareNanTokensAreAccepted() throws IOException {
        Path file = dir.resolve("m.jsonl");
        Files.writeString(file, "{\"step\":7,\"lossD\":NaN,\"ok\":true}\n", StandardOpenOption.CREATE);
        MetricsRow row = MetricsLog.read(file).get(0);
        assertThat(row.values().get("lossD")).isNaN();
        assertThat(row.extras().get("ok").asBoolean()).isTrue();
    }

    @Test
    void rowRejectsStepAsValue() {
        assertThatThrownBy(() -> MetricsRow.of(1, Map.of("step", 2.0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
