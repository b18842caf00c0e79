package org.gan4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gan4j.Gan4jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunInfoTest {

    @TempDir
    Path dir;

    record Section(int batchSize, double learningRate) {}

    @Test
    void writesProvenanceAndReadsItBack() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("training", new Section(64, 2e-4));
        config.put("name", "toy");
        Path file = dir.resolve("run.json");
        Instant start = Instant.parse("2024-05-01T12:00:00Z");
        RunInfo.write(file, config, 42, Map.of("gan4j", "0.1.0", "djl", "0.35.1"), start);

        JsonNode json = RunInfo.read(file);
        assertThat(json.get("start").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(json.get("seed").asLong()).isEqualTo(42);
        assertThat(json.at("/versions/djl").asText()).isEqualTo("0.35.1");
        assertThat(json.at("/versions/java").asText()).startsWith("17.");
        assertThat(json.at("/config/training/batchSize").asInt()).isEqualTo(64);
        assertThat(json.at("/config/training/learningRate").asDouble()).isEqualTo(2e-4);
        assertThat(json.at("/config/name").asText()).isEqualTo("toy");
        assertThat(json.get("git").has("sha")).isTrue();
        assertThat(json.get("git").has("dirty")).isTrue();
        assertThat(json.at("/host/cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(json.at("/host/maxHeapBytes").asLong()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(json.at("/host/name").asText()).isNotBlank();
        assertThat(json.at("/host/os").asText()).contains(System.getProperty("os.name"));
    }

    @Test
    void readRejectsMissingAndMalformedFiles() throws IOException {
        Path missing = dir.resolve("none.json");
        assertThatThrownBy(() -> RunInfo.read(missing))
                .isInstanceOf(Gan4jException.class).hasMessage(missing + " does not exist");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"seed\": ");
        assertThatThrownBy(() -> RunInfo.read(broken))
                .isInstanceOf(Gan4jException.class).hasMessageStartingWith(broken + " is not valid JSON (line 1, column ")
                .hasMessageNotContaining("Source").hasMessageNotContaining("REDACTED");
        Files.writeString(broken, "{\"config\": {");
        assertThatThrownBy(() -> RunInfo.read(broken))
                .hasMessage(broken + " is not valid JSON (line 1, column 13: Unexpected end-of-input: expected close"
                        + " marker for Object)");
    }

    @Test
    void gitStateOutsideARepositoryIsEmpty() {
        RunInfo.GitState state = RunInfo.gitState(dir);
        assertThat(state.sha()).isEmpty();
        assertThat(state.dirty()).isEmpty();
    }

    @Test
    void gitStateReportsShaAndDirtiness() throws Exception {
        assumeTrue(git(dir, "init", "-q"), "git is not available");
        Files.writeString(dir.resolve("a.txt"), "a");
        assumeTrue(git(dir, "add", "a.txt"));
        assumeTrue(git(dir, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one"));
        RunInfo.GitState clean = RunInfo.gitState(dir);
        assertThat(clean.sha()).hasValueSatisfying(sha -> assertThat(sha).matches("[0-9a-f]{40}"));
        assertThat(clean.dirty()).hasValue(false);
        Files.writeString(dir.resolve("a.txt"), "changed");
        RunInfo.GitState dirty = RunInfo.gitState(dir);
        assertThat(dirty.sha()).isEqualTo(clean.sha());
        assertThat(dirty.dirty()).hasValue(true);
    }

    private static boolean git(Path dir, String... arguments) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git"));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
