package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --resume} never continues a run under a different config without {@code --force}, nor writes outside it. */
class ResumeSafetyTest {

    @TempDir Path temp;

    private static void assertOneLineError(CliTest.Result result, String... fragments) {
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.errLines()).as(result.err()).hasSize(1);
        assertThat(result.err()).startsWith("gan4j: error: ");
        for (String fragment : fragments) {
            assertThat(result.err()).contains(fragment);
        }
    }

    private Path trainTinyRun(Path run) throws Exception {
        Path config = new KillResumeHarness(temp, 4, 1).writeConfig(temp.resolve("tiny.yaml"));
        CliTest.Result first = CliTest.run("train", "--config", config.toString(), "--out", run.toString(),
                "--no-progress");
        assertThat(first.code()).as(first.err()).isZero();
        return config;
    }

    /** Trains the tiny run for 2 of its 4 steps and returns its checkpoint of step 2. */
    private Path trainTwoSteps(Path run) throws Exception {
        Path config = new KillResumeHarness(temp, 4, 1).writeConfig(temp.resolve("tiny.yaml"));
        CliTest.Result first = CliTest.run("train", "--config", config.toString(), "--out", run.toString(),
                "--max-steps", "2", "--no-progress");
        assertThat(first.code()).as(first.err()).isZero();
        return run.resolve("checkpoints/step-000002");
    }

    @Test
    void aRunWhoseDataMovedSaysHowToPointItThere() throws Exception {
        Path images = temp.resolve("data/train-images-idx3-ubyte");
        Files.createDirectories(images.getParent());
        CliTest.writeIdx(images, 32, 32);
        Path run = temp.resolve("images-run");
        String[] tiny = {"--set", "training.batchSize=8", "--set", "model.dcgan.generatorFeatures=4",
            "--set", "model.dcgan.discriminatorFeatures=4", "--no-progress"};
        CliTest.Result first = CliTest.run(java.util.stream.Stream.concat(java.util.stream.Stream.of(
                "train", "--data", images.toString(), "--out", run.toString(), "--max-steps", "2"),
                java.util.stream.Stream.of(tiny)).toArray(String[]::new));
        assertThat(first.code()).as(first.err()).isZero();
        Path moved = Files.move(images.getParent(), temp.resolve("moved")).resolve(images.getFileName());
        assertOneLineError(CliTest.run("train", "--resume", run.toString()), "data path " + images + " of run " + run
                + " does not exist; if the data moved, continue with: gan4j train --resume " + run
                + " --set data.path=NEW_PATH --force");
        assertOneLineError(CliTest.run("evaluate", "--run", run.toString(), "-n", "8", "--no-cache"), "data path "
                + images + " of run " + run + " does not exist; name the real images with --real PATH");
        CliTest.Result forced = CliTest.run("train", "--resume", run.toString(), "--set", "data.path=" + moved,
                "--force", "--max-steps", "3", "--no-progress");
        assertThat(forced.code()).as(forced.err()).isZero();
    }

    @Test
    void changedConfigNeedsForce() throws Exception {
        Path run = temp.resolve("run");
        trainTinyRun(run);
        assertOneLineError(CliTest.run("train", "--resume", run.toString(), "--set", "training.steps=6"),
                "training.steps: 4 → 6", "--force");
        assertOneLineError(CliTest.run("train", "--force", "--config", temp.resolve("tiny.yaml").toString()),
                "--force only applies to --resume");

        CliTest.Result forced = CliTest.run("train", "--resume", run.toString(), "--set", "training.steps=6", "--force",
                "--no-progress");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(run.resolve("checkpoints").resolve("step-000006")).isDirectory();
        assertThat(Json.MAPPER.readTree(run.resolve("run.json").toFile()).path("config").path("training")
                .path("steps").asLong()).isEqualTo(6);

        // the same config again is not a change
        CliTest.Result same = CliTest.run("train", "--resume", run.toString(), "--set", "training.steps=6",
                "--no-progress");
        assertThat(same.code()).as(same.err()).isZero();
    }

    @Test
    void afterForceAResumeMayFallBackToACheckpointOfTheEarlierConfig() throws Exception {
        Path run = temp.resolve("run");
        trainTinyRun(run);
        CliTest.Result forced = CliTest.run("train", "--resume", run.toString(), "--set", "training.steps=5", "--force",
                "--no-progress");
        assertThat(forced.code()).as(forced.err()).isZero();
        // keepCheckpoints 2: step 4 (the first config) and step 5 (the forced one); damage step 5
        Path damaged = run.resolve("checkpoints/step-000005/generator.params");
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(damaged, bytes);
        CliTest.Result fallback = CliTest.run("train", "--resume", run.toString(), "--no-progress");
        assertThat(fallback.code()).as(fallback.err()).isZero();
        assertThat(run.resolve("checkpoints/step-000005/generator.params")).isRegularFile();
        assertThat(Json.MAPPER.readTree(run.resolve("run.json").toFile()).path("earlierConfigHashes")).hasSize(1);
    }

    @Test
    void handEditedRunJsonNeedsForce() throws Exception {
        Path run = temp.resolve("run");
        trainTinyRun(run);
        ObjectNode info = (ObjectNode) Json.MAPPER.readTree(run.resolve("run.json").toFile());
        ((ObjectNode) info.path("config").path("training")).put("steps", 6);
        Files.writeString(run.resolve("run.json"), Json.MAPPER.writeValueAsString(info));
        assertOneLineError(CliTest.run("train", "--resume", run.toString()), "run.json edited?", "--force");
        CliTest.Result forced = CliTest.run("train", "--resume", run.toString(), "--force", "--no-progress");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(run.resolve("checkpoints").resolve("step-000006")).isDirectory();
    }

    /** Writes a checkpoint's file and its size and SHA-256 into the manifest, so the checkpoint still verifies. */
    private static void writeVerified(Path checkpoint, String name, byte[] bytes) throws Exception {
        Files.write(checkpoint.resolve(name), bytes);
        ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(checkpoint.resolve("manifest.json").toFile());
        for (com.fasterxml.jackson.databind.JsonNode file : manifest.path("files")) {
            if (file.path("name").asText().equals(name)) {
                ((ObjectNode) file).put("size", bytes.length);
                ((ObjectNode) file).put("sha256", java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        }
        Json.MAPPER.writeValue(checkpoint.resolve("manifest.json").toFile(), manifest);
    }

    /**
     * A generator.params whose first parameter's shape header was damaged (a manifest recomputed over it, so the
     * checkpoint verifies) is a one-line error naming the file for resume and sample; until 1 December DJL's
     * NegativeArraySizeException ended both in a stack trace.
     */
    @Test
    void aDamagedSizeInsideAVerifiedWeightsFileIsAOneLineError() throws Exception {
        Path run = temp.resolve("damaged-weights");
        Path checkpoint = trainTwoSteps(run);
        byte[] weights = Files.readAllBytes(checkpoint.resolve("generator.params"));
        // bytes 40 to 55 hold the first parameter's shape in the header DJL writes
        java.nio.ByteBuffer.wrap(weights).putLong(40, 0x7fffffff7fffffffL).putLong(48, 0x7fffffff7fffffffL);
        writeVerified(checkpoint, "generator.params", weights);
        String expected = "gan4j: error: " + checkpoint + "/generator is damaged: a size in it is impossible (";
        assertOneLineError(CliTest.run("train", "--resume", run.toString(), "--no-progress"), expected);
        assertOneLineError(CliTest.run("sample", "--run", run.toString(), "--csv", temp.resolve("s.csv").toString()),
                expected);
    }

    /**
     * An optimizers.bin that verifies against its (recomputed) manifest but is cut short, or holds bytes DJL cannot
     * decode, is a one-line error naming it; until 1 December the first read "cannot read checkpoint …: null" and the
     * second ended in a stack trace.
     */
    @Test
    void aDamagedButVerifiedOptimizerStateIsAOneLineError() throws Exception {
        Path run = temp.resolve("damaged-optimizers");
        Path checkpoint = trainTwoSteps(run);
        byte[] state = Files.readAllBytes(checkpoint.resolve("optimizers.bin"));
        writeVerified(checkpoint, "optimizers.bin", java.util.Arrays.copyOf(state, state.length / 2));
        assertOneLineError(CliTest.run("train", "--resume", run.toString(), "--no-progress"),
                "gan4j: error: " + checkpoint + "/optimizers (discriminator) is truncated");
        byte[] damaged = state.clone();
        java.nio.ByteBuffer.wrap(damaged).putLong(40, 0x7fffffff7fffffffL).putLong(48, 0x7fffffff7fffffffL);
        writeVerified(checkpoint, "optimizers.bin", damaged);
        assertOneLineError(CliTest.run("train", "--resume", run.toString(), "--no-progress"),
                "gan4j: error: " + checkpoint + "/optimizers (generator): corrupt optimizer state (");
    }

    /**
     * A checkpoint whose state.json was edited together with its manifest (so it verifies) to a learningRateScale out of
     * (0, 1] is a one-line error naming the checkpoint, the field and the range; until 1 December the optimizer's
     * IllegalArgumentException ended the resume with a stack trace (exit 1).
     */
    @Test
    void aHandEditedLearningRateScaleInACheckpointIsAOneLineError() throws Exception {
        Path run = temp.resolve("scaled");
        Path checkpoint = trainTwoSteps(run);
        for (String bad : new String[] {"-1", "0", "\"NaN\"", "2.5"}) {
            ObjectNode state = (ObjectNode) Json.MAPPER.readTree(checkpoint.resolve("state.json").toFile());
            state.set("learningRateScale", Json.MAPPER.readTree(bad));
            writeVerified(checkpoint, "state.json", Json.MAPPER.writeValueAsBytes(state));
            assertOneLineError(CliTest.run("train", "--resume", run.toString(), "--no-progress"),
                    "checkpoint " + checkpoint + ": learningRateScale in state.json is " + bad + "; expected a number"
                            + " in (0, 1]");
        }
    }

    /**
     * A file where one of the run's folders belongs (checkpoints, samples …) is refused before anything changes: until
     * 1 December a file named checkpoints read as "no checkpoint", the resume started again from step 0, cut
     * metrics.jsonl to its first rows, and only then failed ("cannot write checkpoint …: File exists").
     */
    @Test
    void aFileWhereARunFolderBelongsIsRefusedBeforeAnythingChanges() throws Exception {
        Path run = temp.resolve("file-for-folder");
        Path config = new KillResumeHarness(temp, 6, 1).writeConfig(temp.resolve("tiny.yaml"));
        CliTest.Result first = CliTest.run("train", "--config", config.toString(), "--out", run.toString(),
                "--max-steps", "4", "--no-progress");
        assertThat(first.code()).as(first.err()).isZero();
        try (var walk = Files.walk(run.resolve("checkpoints"))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.writeString(run.resolve("checkpoints"), "");
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
        assertOneLineError(CliTest.run("train", "--resume", run.toString(), "--no-progress"),
                "gan4j: error: " + run.resolve("checkpoints") + " is a file, not a folder; gan4j writes the run's"
                        + " checkpoints there: move the file aside (nothing was changed)");
        assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
    }

    /**
     * The same for checkpoints-best/: until 1 December a file of that name let the resume go on, and it ended in
     * "cannot write checkpoint …/checkpoints-best/step-000004: File exists" when the best checkpoint was written again.
     */
    @Test
    void aFileWhereTheBestCheckpointFolderBelongsIsRefused() throws Exception {
        Path run = temp.resolve("file-for-best");
        Path config = new KillResumeHarness(temp, 6, 1).writeConfig(temp.resolve("tiny.yaml"));
        String[] evaluation = {"--eval-every", "2", "--eval-samples", "200", "--best-by", "fd", "--no-progress"};
        CliTest.Result first = CliTest.run(java.util.stream.Stream.concat(java.util.stream.Stream.of("train",
                "--config", config.toString(), "--out", run.toString(), "--max-steps", "4"),
                java.util.stream.Stream.of(evaluation)).toArray(String[]::new));
        assertThat(first.code()).as(first.err()).isZero();
        try (var walk = Files.walk(run.resolve("checkpoints-best"))) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.writeString(run.resolve("checkpoints-best"), "");
        assertOneLineError(CliTest.run(java.util.stream.Stream.concat(java.util.stream.Stream.of("train",
                "--resume", run.toString()), java.util.stream.Stream.of(evaluation)).toArray(String[]::new)),
                "gan4j: error: " + run.resolve("checkpoints-best") + " is a file, not a folder; gan4j writes the"
                        + " run's checkpoints-best there: move the file aside (nothing was changed)");
    }

    @Test
    void symbolicLinksOutOfTheRunDirectoryAreRefused() throws Exception {
        Path run = temp.resolve("run");
        trainTinyRun(run);
        Path outside = Files.createDirectories(temp.resolve("precious"));
        Files.writeString(outside.resolve("keep.txt"), "mine");
        Files.move(run.resolve("checkpoints"), outside.resolve("checkpoints"));
        Files.createSymbolicLink(run.resolve("checkpoints"), outside.resolve("checkpoints"));
        assertOneLineError(CliTest.run("train", "--resume", run.toString(), "--set", "training.steps=8", "--force"),
                "symbolic link");
        assertThat(outside.resolve("keep.txt")).hasContent("mine");
        assertThat(outside.resolve("checkpoints").resolve("step-000004")).isDirectory();

        // --out through a link to a folder that holds files is refused and leaves the files alone
        Path link = temp.resolve("link");
        Files.createSymbolicLink(link, outside);
        assertOneLineError(CliTest.run("train", "--config", temp.resolve("tiny.yaml").toString(), "--out",
                link.toString()), "not empty");
        assertThat(outside.resolve("keep.txt")).hasContent("mine");
        // a name cannot climb out of output.dir
        assertOneLineError(CliTest.run("train", "--config", temp.resolve("tiny.yaml").toString(), "--set",
                "name=../escape", "--set", "output.dir=" + temp.resolve("runs")), "name");
        assertThat(temp.resolve("escape")).doesNotExist();
    }
}
