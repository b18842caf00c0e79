package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of a run's life that users hit by accident: a start interrupted before training (Ctrl-C, a kill, a refused
 * start) and a resume with another number of threads.
 */
class RunStartEdgesTest {

    @TempDir Path temp;

    @Test
    void emptyFoldersOfAnInterruptedStartDoNotBlockTheSameOut() throws Exception {
        Path config = new KillResumeHarness(temp, 3, 1).writeConfig(temp.resolve("tiny.yaml"));
        // what a kill -9 between creating the run directory and writing run.json leaves
        Path out = temp.resolve("run");
        for (String sub : List.of("samples", "plots", "checkpoints", "eval")) {
            Files.createDirectories(out.resolve(sub));
        }
        CliTest.Result result = CliTest.run("train", "--config", config.toString(), "--out", out.toString(),
                "--no-progress");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(out.resolve("run.json")).isRegularFile();
        assertThat(out.resolve("checkpoints/step-000003")).isDirectory();

        // a folder holding anything else is still refused, and kept as it is
        Path other = temp.resolve("other");
        Files.createDirectories(other.resolve("samples"));
        Files.writeString(other.resolve("samples/mine.png"), "not gan4j's");
        CliTest.Result refused = CliTest.run("train", "--config", config.toString(), "--out", other.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).startsWith("gan4j: error: output directory " + other + " exists and is not empty");
        assertThat(Files.readString(other.resolve("samples/mine.png"))).isEqualTo("not gan4j's");
    }

    @Test
    void aBatchLargerThanTheDataIsRefusedBeforeTheRunDirectoryExists() throws Exception {
        Path data = CliTest.writeIdx(temp.resolve("images-idx3-ubyte"), 10, 10);
        Path out = temp.resolve("small");
        List<String> tiny = List.of("train", "--data", data.toString(), "--set", "model.dcgan.generatorFeatures=4",
                "--set", "model.dcgan.discriminatorFeatures=4", "--max-steps", "2", "--no-progress", "--out",
                out.toString());
        CliTest.Result refused = CliTest.run(tiny.toArray(String[]::new));
        CliTest.assertUserError(refused, "training.batchSize=64 is larger than the dataset (10 examples): set"
                + " training.batchSize to at most 10 (in the YAML file or with --set training.batchSize=10)");
        assertThat(out).doesNotExist();
        List<String> fixed = new java.util.ArrayList<>(tiny);
        fixed.addAll(List.of("--set", "training.batchSize=10")); // the value the message suggests works
        CliTest.Result again = CliTest.run(fixed.toArray(String[]::new));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(out.resolve("run.json")).isRegularFile();
    }

    @Test
    void ctrlCWhileTheRunIsPreparedLeavesNoEmptyRunDirectory() throws Exception {
        // a DCGAN whose networks take a moment to build: the window between the run directory and run.json
        Path data = CliTest.writeIdx(temp.resolve("images-idx3-ubyte"), 64, 64);
        Path out = temp.resolve("run");
        Process process = KillResumeHarness.launch(temp.resolve("train.log"), "train", "--data", data.toString(),
                "--set", "training.steps=2", "--set", "training.threads=1", "--out", out.toString(), "--no-progress");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // the run directory is complete once its last subfolder exists
        while (process.isAlive() && !Files.isDirectory(out.resolve("eval")) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assumeTrue(!Files.exists(out.resolve("run.json")), "run.json was written before the signal could be sent");
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (!Files.exists(out.resolve("run.json"))) {
            // stopped before the run started: nothing may be left that blocks `--out run` next time
            assertThat(out).as(KillResumeHarness.log(temp.resolve("train.log"))).doesNotExist();
        }
        CliTest.Result again = CliTest.run("train", "--data", data.toString(), "--set", "training.steps=2",
                "--out", temp.resolve("second").toString(), "--no-progress");
        assertThat(again.code()).as(again.err()).isZero();
    }

    @Test
    void aRelativeDataPathIsRecordedAbsoluteSoTheRunWorksFromAnyFolder() throws Exception {
        Path data = CliTest.writeIdx(temp.resolve("images-idx3-ubyte"), 16, 16);
        Path relative = Path.of("").toAbsolutePath().relativize(data.toAbsolutePath());
        Path out = temp.resolve("run");
        CliTest.Result result = CliTest.run("train", "--data", relative.toString(), "--set", "training.steps=1",
                "--set", "training.batchSize=8", "--set", "model.dcgan.generatorFeatures=4", "--set",
                "model.dcgan.discriminatorFeatures=4", "--out", out.toString(), "--no-progress");
        assertThat(result.code()).as(result.err()).isZero();
        JsonNode info = Json.MAPPER.readTree(out.resolve("run.json").toFile());
        assertThat(info.path("config").path("data").path("path").asText()).isEqualTo(data.toAbsolutePath().toString());
    }

    @Test
    void resumingPastMissingMetricsRowsSaysSo() throws Exception {
        Path config = new KillResumeHarness(temp, 8, 1).writeConfig(temp.resolve("tiny.yaml"));
        Path run = temp.resolve("run");
        Process first = KillResumeHarness.launch(temp.resolve("first.log"), "train", "--config", config.toString(),
                "--out", run.toString(), "--max-steps", "5", "--no-progress");
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(KillResumeHarness.log(temp.resolve("first.log"))).isZero();
        // rows 3 to 5 lost (the machine went down before they reached the disk), checkpoint 5 kept
        List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(rows).hasSize(5);
        Files.write(run.resolve("metrics.jsonl"), rows.subList(0, 2));
        Process resumed = KillResumeHarness.launch(temp.resolve("resumed.log"), "train", "--resume", run.toString(),
                "--no-progress");
        assertThat(resumed.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = KillResumeHarness.log(temp.resolve("resumed.log"));
        assertThat(resumed.exitValue()).as(log).isZero();
        assertThat(log).contains("ends at step 2 but the checkpoint resumed from is at step 5: the rows of steps 3 to 5"
                + " are missing");
    }

    @Test
    void resumingWithAnotherThreadCountSaysTheNumbersWillDiffer() throws Exception {
        Path config = new KillResumeHarness(temp, 6, 1).writeConfig(temp.resolve("tiny.yaml"));
        Path run = temp.resolve("run");
        Process first = KillResumeHarness.launch(temp.resolve("first.log"), List.of("-Dai.djl.pytorch.num_threads=2"),
                "train", "--config", config.toString(), "--out", run.toString(), "--max-steps", "3", "--no-progress");
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(KillResumeHarness.log(temp.resolve("first.log"))).isZero();
        JsonNode info = Json.MAPPER.readTree(run.resolve("run.json").toFile());
        assertThat(info.path("threads").asInt()).isEqualTo(2);

        Process same = KillResumeHarness.launch(temp.resolve("same.log"), List.of("-Dai.djl.pytorch.num_threads=2"),
                "train", "--resume", run.toString(), "--max-steps", "4", "--no-progress");
        assertThat(same.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(KillResumeHarness.log(temp.resolve("same.log"))).doesNotContain("intra-op threads");

        Process other = KillResumeHarness.launch(temp.resolve("other.log"), List.of("-Dai.djl.pytorch.num_threads=1"),
                "train", "--resume", run.toString(), "--no-progress");
        assertThat(other.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = KillResumeHarness.log(temp.resolve("other.log"));
        assertThat(other.exitValue()).as(log).isZero();
        assertThat(log).contains("was started with 2 intra-op threads and continues with 1")
                .contains("GAN4J_THREADS=2");
    }
}
