package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.Json;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.RunInfo;
import org.gan4j.io.MetricsRow;
import org.gan4j.training.listener.GanListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

    @TempDir Path temp;

    /** Writes a raw IDX image file of {@code count} 28×28 images with simple varied patterns. */
    static Path writeIdx(Path file, int count) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(stream)) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            for (int n = 0; n < count; n++) {
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        boolean on = ((x / (2 + n % 5)) + (y / (2 + n % 3))) % 2 == 0;
                        out.writeByte(on ? 255 : (n * 7) % 64);
                    }
                }
            }
        }
        return file;
    }

    private RunConfig tinyDcgan(Path data, long steps, String... extra) {
        List<String> overrides =
                new ArrayList<>(
                        List.of(
                                "name=tiny",
                                "data.kind=idx",
                                "data.path=" + data,
                                "model.architecture=dcgan",
                                "model.latentSize=8",
                                "model.dcgan.generatorFeatures=4",
                                "model.dcgan.discriminatorFeatures=4",
                                "training.batchSize=8",
                                "training.steps=" + steps,
                                "output.dir=" + temp.resolve("runs"),
                                "output.logEvery=2",
                                "output.sampleEvery=3",
                                "output.plotEvery=3",
                                "output.checkpointEvery=3",
                                "output.sampleCount=16"));
        overrides.addAll(List.of(extra));
        return ConfigLoader.load(null, overrides);
    }

    @Test
    void runJsonListsEveryImageFileSkippedAsUnreadable() throws IOException {
        Path folder = temp.resolve("photos");
        Files.createDirectories(folder);
        for (int i = 0; i < 8; i++) {
            java.awt.image.BufferedImage image =
                    new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setSample(i % 8, 0, 0, 255);
            javax.imageio.ImageIO.write(image, "png", folder.resolve("ok-" + i + ".png").toFile());
        }
        for (int i = 0; i < 7; i++) { // more than the console warning names
            Files.write(folder.resolve("bad-" + i + ".png"), new byte[0]);
        }
        RunConfig config =
                ConfigLoader.load(
                        null,
                        List.of("name=skips", "data.kind=folder", "data.path=" + folder, "data.imageSize=28",
                                "data.channels=1", "model.architecture=dcgan", "model.latentSize=8",
                                "model.dcgan.generatorFeatures=4", "model.dcgan.discriminatorFeatures=4",
                                "training.batchSize=4", "training.steps=1", "output.dir=" + temp.resolve("runs"),
                                "output.sampleCount=4"));
        Path root;
        try (TrainingRun run = TrainingRun.create(config, null)) {
            root = run.runDirectory().root();
        }

        JsonNode skipped = Json.MAPPER.readTree(root.resolve("run.json").toFile()).path("data").path("skippedFiles");
        assertThat(skipped.size()).isEqualTo(7);
        assertThat(skipped.get(6).path("file").asText()).isEqualTo(folder.resolve("bad-6.png").toString());
        assertThat(skipped.get(6).path("reason").asText()).isEqualTo("empty file");
    }

    /**
     * A session capped by --max-steps records its cap in run.json (the report says "stopped by --max-steps N; the
     * config plans M" instead of "N of M"); a resume without a cap trains to the config's steps and removes it, one
     * with a new cap records that.
     */
    @Test
    void theMaxStepsCapIsRecordedPerSessionAndTheReportReadsIt() throws IOException {
        java.util.function.Function<Path, RunConfig> ring = out -> ConfigLoader.load(null, List.of(
                "name=capped", "data.kind=ring", "model.architecture=mlp", "model.latentSize=2",
                "training.batchSize=8", "training.steps=12", "output.dir=" + out, "output.logEvery=3",
                "output.sampleEvery=0", "output.plotEvery=0", "output.checkpointEvery=3"));
        Path root;
        try (TrainingRun run = TrainingRun.create(ring.apply(temp.resolve("runs")), null)) {
            root = run.runDirectory().root();
            TrainingRun.Summary summary = run.train(3, GanListener.Defaults.forRunDirectory());
            assertThat(summary.maxSteps()).isEqualTo(3);
            assertThat(summary.configuredSteps()).isEqualTo(12);
            assertThat(summary.completed()).isFalse();
        }
        assertThat(Json.MAPPER.readTree(root.resolve("run.json").toFile()).path(TrainingRun.MAX_STEPS_KEY).asLong())
                .isEqualTo(3);
        JsonNode report = org.gan4j.report.RunData.read(root, (file, relative) -> relative).path("summary");
        assertThat(report.path("lastStep").asLong()).isEqualTo(3);
        assertThat(report.path("maxSteps").asLong()).isEqualTo(3);
        assertThat(report.path("targetSteps").asLong()).isEqualTo(12);

        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.train(6, GanListener.Defaults.forRunDirectory()).maxSteps()).isEqualTo(6);
        }
        assertThat(Json.MAPPER.readTree(root.resolve("run.json").toFile()).path(TrainingRun.MAX_STEPS_KEY).asLong())
                .isEqualTo(6);
        try (TrainingRun run = TrainingRun.resume(root)) {
            TrainingRun.Summary summary = run.train(0, GanListener.Defaults.forRunDirectory());
            assertThat(summary.maxSteps()).isZero();
            assertThat(summary.completed()).isTrue();
        }
        assertThat(Json.MAPPER.readTree(root.resolve("run.json").toFile()).has(TrainingRun.MAX_STEPS_KEY)).isFalse();
        assertThat(org.gan4j.report.RunData.read(root, (file, relative) -> relative).path("summary").has("maxSteps"))
                .isFalse();
        // a cap at or above the config's steps is no cap
        try (TrainingRun run = TrainingRun.create(ring.apply(temp.resolve("other")), null)) {
            assertThat(run.train(50, GanListener.Defaults.forRunDirectory()).maxSteps()).isZero();
            assertThat(Json.MAPPER.readTree(run.runDirectory().runJson().toFile()).has(TrainingRun.MAX_STEPS_KEY))
                    .isFalse();
        }
    }

    @Test
    void runDirectoryHoldsEveryArtifact() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 6), null)) {
            TrainingRun.Summary summary = run.train(0, GanListener.Defaults.forRunDirectory());
            assertThat(summary.completed()).isTrue();
            assertThat(summary.lastStep()).isEqualTo(6);
            root = run.runDirectory().root();
        }
        assertThat(root.getFileName().toString()).isEqualTo("tiny");
        JsonNode info = Json.MAPPER.readTree(root.resolve("run.json").toFile());
        assertThat(info.path("config").path("training").path("steps").asLong()).isEqualTo(6);
        assertThat(info.path("versions").path("djl").asText()).isEqualTo("0.35.1");
        assertThat(info.path("data").path("exampleShape").toString()).isEqualTo("[1,28,28]");
        assertThat(info.path("model").path("fingerprint").asText()).isNotEmpty();

        List<MetricsRow> rows = MetricsLog.read(root.resolve("metrics.jsonl"));
        assertThat(rows).extracting(MetricsRow::step).containsExactly(2L, 4L, 6L);
        for (MetricsRow row : rows) {
            assertThat(row.values().keySet()).contains("lossD", "lossG", "dReal", "dFake", "dFakeAfter", "epoch", "secs");
            assertThat(row.value("dReal").getAsDouble()).isBetween(0.0, 1.0);
        }
        assertThat(root.resolve("samples/real.png")).isRegularFile();
        assertThat(root.resolve("samples/step-000003.png")).isRegularFile();
        assertThat(root.resolve("samples/step-000006.png")).isRegularFile();
        assertThat(root.resolve("plots/losses.png")).isRegularFile();
        assertThat(root.resolve("plots/d-outputs.png")).isRegularFile();
        assertThat(root.resolve("checkpoints/step-000003/manifest.json")).isRegularFile();
        assertThat(root.resolve("checkpoints/step-000006/generator.params")).isRegularFile();
        assertThat(Files.readString(root.resolve("checkpoints/latest")).trim()).isEqualTo("step-000006");
        // the marker gan4j serve reads exists only while the run trains
        assertThat(root.resolve(org.gan4j.io.RunDirectory.TRAINING_MARKER)).doesNotExist();
    }

    /**
     * A dataset smaller than output.sampleCount (5 images, 16 samples): real.png has the sample grids' shape, 4 × 4
     * cells, with each real image once and the cells after them left empty (the padding colour).
     */
    @Test
    void realGridOfASmallDatasetHasTheSampleGridsShape() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 5);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 3, "training.batchSize=4"), null)) {
            run.train(0, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        java.awt.image.BufferedImage real = javax.imageio.ImageIO.read(root.resolve("samples/real.png").toFile());
        java.awt.image.BufferedImage samples =
                javax.imageio.ImageIO.read(root.resolve("samples/step-000003.png").toFile());
        assertThat(real.getWidth()).isEqualTo(samples.getWidth());
        assertThat(real.getHeight()).isEqualTo(samples.getHeight());
        int scale = org.gan4j.io.ImageGrid.scaleFactor(28, 28);
        int cell = 28 * scale + org.gan4j.io.ImageGrid.DEFAULT_PADDING;
        int pad = org.gan4j.io.ImageGrid.DEFAULT_PADDING;
        // cell 0 (image 0) has dark pixels; cell 5 (second row, second column) and the last cell are empty
        assertThat(darkPixels(real, pad, pad, 28 * scale)).isPositive();
        assertThat(darkPixels(real, pad + 3 * cell, pad, 28 * scale)).as("image 4, the last").isPositive();
        assertThat(darkPixels(real, pad + cell, pad + cell, 28 * scale)).isZero();
        assertThat(darkPixels(real, pad + 3 * cell, pad + 3 * cell, 28 * scale)).isZero();
    }

    private static int darkPixels(java.awt.image.BufferedImage picture, int left, int top, int size) {
        int dark = 0;
        for (int y = top; y < top + size; y++) {
            for (int x = left; x < left + size; x++) {
                dark += (picture.getRGB(x, y) & 0xff) < 128 ? 1 : 0;
            }
        }
        return dark;
    }

    @Test
    void whileTrainingTheRunCarriesAMarkerNamingThisProcess() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        List<String> seen = new ArrayList<>();
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 2), null)) {
            GanListener probe = new GanListener() {
                @Override
                public void onStep(TrainingContext context, StepResult result) {
                    Path marker = context.runDirectory().root().resolve(org.gan4j.io.RunDirectory.TRAINING_MARKER);
                    try {
                        seen.add(Files.readString(marker));
                    } catch (IOException e) {
                        seen.add("missing: " + e);
                    }
                }
            };
            run.train(0, List.of(probe));
            assertThat(run.runDirectory().root().resolve(org.gan4j.io.RunDirectory.TRAINING_MARKER)).doesNotExist();
        }
        assertThat(seen).hasSize(2).allSatisfy(text -> assertThat(text).contains(
                "\"pid\":" + ProcessHandle.current().pid()));
    }

    @Test
    void sampleGridsShowTheSameFixedNoiseAtEveryStep() throws IOException {
        // DCGAN's progress grids: G(z) for one z, drawn once from the seed, at every sampled step
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        List<float[]> grids = new ArrayList<>();
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 6), null)) {
            GanListener probe = new GanListener() {
                @Override
                public void onStep(TrainingContext context, StepResult result) {
                    int count = context.fixedCount();
                    float[] z = Noise.gaussian(context.config().seed(), Noise.FIXED, 0,
                            count * context.trainer().models().latentSize());
                    float[] fixed = context.fixedSamples();
                    assertThat(fixed).containsExactly(context.trainer().sample(z, count));
                    grids.add(fixed);
                }
            };
            run.train(0, List.of(probe));
        }
        assertThat(grids).hasSize(6);
        // G learns between steps, so the same z gives other images
        assertThat(grids.get(5)).isNotEqualTo(grids.get(0));
    }

    /** Trains the tiny DCGAN of 8 steps without a stop; returns its run directory. */
    private Path uninterruptedRun(Path data) {
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 8), temp.resolve("straight"))) {
            run.train(0, GanListener.Defaults.forRunDirectory());
            return run.runDirectory().root();
        }
    }

    @Test
    void stopAndResumeEqualsAnUninterruptedRun() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path straight = uninterruptedRun(data);
        Path interrupted;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 8), temp.resolve("interrupted"))) {
            TrainingRun.Summary first = run.train(4, GanListener.Defaults.forRunDirectory());
            assertThat(first.completed()).isFalse();
            assertThat(first.lastStep()).isEqualTo(4);
            interrupted = run.runDirectory().root();
        }
        try (TrainingRun run = TrainingRun.resume(interrupted)) {
            assertThat(run.resumedFrom()).isEqualTo(4);
            TrainingRun.Summary second = run.train(0, GanListener.Defaults.forRunDirectory());
            assertThat(second.completed()).isTrue();
        }
        for (String file : List.of("generator.params", "discriminator.params", "optimizers.bin")) {
            assertThat(Files.readAllBytes(interrupted.resolve("checkpoints/step-000008").resolve(file)))
                    .as(file)
                    .isEqualTo(Files.readAllBytes(straight.resolve("checkpoints/step-000008").resolve(file)));
        }
        assertThat(deterministicValues(interrupted)).isEqualTo(deterministicValues(straight));
    }

    @Test
    void stopOffTheLoggingGridResumesToExactlyTheUninterruptedMetricsAndClearsWriteLeftovers() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path straight = uninterruptedRun(data);
        Path interrupted;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 8), temp.resolve("interrupted"))) {
            run.train(3, GanListener.Defaults.forRunDirectory());
            interrupted = run.runDirectory().root();
        }
        // logEvery 2: the stop at step 3 logged its last step, which the uninterrupted run does not have
        assertThat(MetricsLog.read(interrupted.resolve("metrics.jsonl"))).extracting(MetricsRow::step)
                .containsExactly(2L, 3L);
        assertThat(Json.MAPPER.readTree(interrupted.resolve("run.json").toFile()).path(TrainingRun.THREADS_KEY).asInt())
                .isEqualTo(TrainingRun.intraOpThreads());
        // what kills during atomic writes leave behind
        List<Path> leftovers = List.of(
                interrupted.resolve("checkpoints/.latest.tmp-0123456789abcdef"),
                interrupted.resolve(".metrics.jsonl.tmp-0123456789abcdef"),
                interrupted.resolve("samples/.step-000003.png.tmp-89abcdef01234567"),
                interrupted.resolve("plots/.losses.png.tmp-fedcba9876543210"));
        for (Path leftover : leftovers) {
            Files.writeString(leftover, "half written");
        }
        try (TrainingRun run = TrainingRun.resume(interrupted)) {
            assertThat(run.resumedFrom()).isEqualTo(3);
            run.train(0, GanListener.Defaults.forRunDirectory());
        }
        assertThat(deterministicValues(interrupted)).isEqualTo(deterministicValues(straight));
        for (Path leftover : leftovers) {
            assertThat(leftover).doesNotExist();
        }
    }

    @Test
    void wallSecondsSumTheSessionsAndSkipThePauseBetweenThem() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 8), temp.resolve("paused"))) {
            run.train(4, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        List<MetricsRow> first = MetricsLog.read(root.resolve("metrics.jsonl"));
        assertThat(first).extracting(MetricsRow::step).containsExactly(2L, 4L);
        double firstWall = first.get(1).value("wallSecs").getAsDouble();
        assertThat(first.get(0).value("wallSecs").getAsDouble()).isPositive().isLessThan(firstWall);
        // stand-in for a first session that trained for an hour: the resumed rows continue from the kept row
        Path metrics = root.resolve("metrics.jsonl");
        Files.writeString(metrics, Files.readString(metrics).replace("\"wallSecs\":" + firstWall, "\"wallSecs\":3600.0"));
        long before = System.nanoTime();
        try (TrainingRun run = TrainingRun.resume(root)) {
            run.train(0, GanListener.Defaults.forRunDirectory());
        }
        double session = (System.nanoTime() - before) / 1e9;
        List<MetricsRow> rows = MetricsLog.read(metrics);
        assertThat(rows).extracting(MetricsRow::step).containsExactly(2L, 4L, 6L, 8L);
        double last = rows.get(3).value("wallSecs").getAsDouble();
        assertThat(rows.get(2).value("wallSecs").getAsDouble()).isGreaterThan(3600.0).isLessThan(last);
        assertThat(last).isLessThan(3600.0 + session);
    }

    /** Pauses after the given step (a stand-in for slow steps), then stops the run there (as Ctrl-C does) if asked. */
    private static GanListener pauseAfter(long step, long pauseMillis, boolean stop) {
        return new GanListener() {
            @Override
            public void onStep(TrainingContext context, StepResult result) {
                if (result.step() == step) {
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (stop) {
                        context.requestStop("interrupted by the test");
                    }
                }
            }
        };
    }

    @Test
    void wallSecondsKeepTheTimeBetweenTheLastRowAndAStop() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        // a Ctrl-C at step 3, and a --max-steps 3 stop, both off the logging grid (logEvery 2), 0.6 s after step 2's row
        for (boolean capped : new boolean[] {false, true}) {
            Path root;
            try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 6), temp.resolve("stopped-" + capped))) {
                List<GanListener> listeners = new ArrayList<>();
                listeners.add(pauseAfter(3, 600, !capped));
                listeners.addAll(GanListener.Defaults.forRunDirectory());
                TrainingRun.Summary summary = run.train(capped ? 3 : 0, listeners);
                assertThat(summary.lastStep()).isEqualTo(3);
                root = run.runDirectory().root();
            }
            double atRow = MetricsLog.read(root.resolve("metrics.jsonl")).get(0).value("wallSecs").getAsDouble();
            try (TrainingRun run = TrainingRun.resume(root)) {
                run.train(0, GanListener.Defaults.forRunDirectory());
            }
            List<MetricsRow> rows = MetricsLog.read(root.resolve("metrics.jsonl"));
            assertThat(rows).extracting(MetricsRow::step).containsExactly(2L, 4L, 6L);
            assertThat(rows.get(0).value("wallSecs").getAsDouble()).as("capped " + capped).isEqualTo(atRow);
            assertThat(rows.get(1).value("wallSecs").getAsDouble()).as("capped " + capped).isGreaterThan(atRow + 0.6);
        }
    }

    /**
     * The training time a session reached is recorded in run.json when it ends, before the final checkpoint is
     * written: a run.json that cannot be read back then (edited by hand while the run trains, and left broken) threw
     * out of the metrics listener, so the metrics log was not closed and the session's final checkpoint never written.
     * The time is left unrecorded with a warning; the rows and the checkpoint are written as before.
     */
    @Test
    void aRunJsonBrokenDuringTrainingDoesNotCostTheFinalCheckpoint() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 8), temp.resolve("edited"))) {
            root = run.runDirectory().root();
            Path runJson = run.runDirectory().runJson();
            List<GanListener> listeners = new ArrayList<>();
            listeners.add(new GanListener() {
                @Override
                public void onStep(TrainingContext context, StepResult result) {
                    if (result.step() == 4) {
                        try {
                            Files.writeString(runJson, "{\"config\": {");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            });
            listeners.addAll(GanListener.Defaults.forRunDirectory());
            TrainingRun.Summary summary = run.train(5, listeners);
            assertThat(summary.lastStep()).isEqualTo(5);
        }
        assertThat(root.resolve("checkpoints/step-000005")).isDirectory();
        assertThat(MetricsLog.read(root.resolve("metrics.jsonl"))).extracting(MetricsRow::step)
                .containsExactly(2L, 4L, 5L);
    }

    @Test
    void aStopBeforeTheFirstLoggedStepLogsItsStepAndResumesToTheUninterruptedRun() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path straight = uninterruptedRun(data);
        Path interrupted;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 8), temp.resolve("interrupted"))) {
            List<GanListener> listeners = new ArrayList<>();
            listeners.add(pauseAfter(1, 0, true));
            listeners.addAll(GanListener.Defaults.forRunDirectory());
            TrainingRun.Summary summary = run.train(0, listeners);
            assertThat(summary.lastStep()).isEqualTo(1);
            interrupted = run.runDirectory().root();
        }
        // logEvery 2: the stop at step 1 came before the first row, and logs its own
        List<MetricsRow> stopped = MetricsLog.read(interrupted.resolve("metrics.jsonl"));
        assertThat(stopped).extracting(MetricsRow::step).containsExactly(1L);
        assertThat(stopped.get(0).value("lossD").getAsDouble()).isFinite();
        assertThat(interrupted.resolve("plots/losses.png")).isNotEmptyFile();
        try (TrainingRun run = TrainingRun.resume(interrupted)) {
            assertThat(run.resumedFrom()).isEqualTo(1);
            run.train(0, GanListener.Defaults.forRunDirectory());
        }
        assertThat(deterministicValues(interrupted)).isEqualTo(deterministicValues(straight));
        for (String file : List.of("generator.params", "discriminator.params", "optimizers.bin")) {
            assertThat(Files.readAllBytes(interrupted.resolve("checkpoints/step-000008").resolve(file)))
                    .as(file)
                    .isEqualTo(Files.readAllBytes(straight.resolve("checkpoints/step-000008").resolve(file)));
        }
    }

    /**
     * A key added later leaves the hash of configs that do not use it as it was, so runs started before it resume
     * without --force: this is the hash the build before model.mlp.initBiases gave the defaults.
     */
    @Test
    void configHashIgnoresInitBiasesAtItsDefault() {
        RunConfig defaults = org.gan4j.config.Defaults.config();
        assertThat(TrainingRun.configHash(defaults))
                .isEqualTo("ef7ddabea1328e4a1bb2900a332478aeb83839f8662496c4662c6b82b83d11bf");
        RunConfig normal = ConfigLoader.load(null, List.of("model.mlp.initBiases=normal"));
        assertThat(TrainingRun.configHash(normal)).isNotEqualTo(TrainingRun.configHash(defaults));
    }

    /**
     * A best checkpoint written after the checkpoint a resume falls back to (the newer one damaged) belongs to the
     * abandoned continuation: it is removed, not kept as the run's best.
     */
    @Test
    void resumeBehindTheBestCheckpointRemovesIt() throws IOException {
        Path root = runWithBestAtStep6();
        Path best = root.resolve(org.gan4j.training.listener.EvaluationListener.BEST_FOLDER);
        // step 6's checkpoint damaged: the resume falls back to step 3
        Files.write(root.resolve("checkpoints/step-000006/generator.params"), new byte[] {1, 2, 3});
        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.resumedFrom()).isEqualTo(3);
        }
        assertThat(best.resolve("step-000006")).doesNotExist();
    }

    /**
     * A resume that finds no valid checkpoint starts again from step 0 and drops every metrics row: a best checkpoint
     * of the abandoned continuation goes too (kept, it stayed the newest in checkpoints-best and so the run's best
     * until the new continuation passed its step).
     */
    @Test
    void resumeFromStepZeroRemovesTheBestCheckpoint() throws IOException {
        Path root = runWithBestAtStep6();
        Path best = root.resolve(org.gan4j.training.listener.EvaluationListener.BEST_FOLDER);
        // every checkpoint damaged: the resume starts again from step 0 (with force: see below)
        damageAllCheckpoints(root);
        try (TrainingRun run = TrainingRun.resume(root, null, true)) {
            assertThat(run.resumedFrom()).isZero();
        }
        assertThat(best.resolve("step-000006")).doesNotExist();
    }

    /**
     * A forced restart from step 0 (every checkpoint damaged) sets the abandoned run's outputs aside in
     * abandoned-TIME/ instead of leaving its checkpoint folders, sample grids, plots and evaluation files among the new
     * run's until they are pruned; nothing is deleted, metrics.jsonl's rows are kept there too, and the restarted run
     * writes its own outputs as a new run does.
     */
    @Test
    void aForcedRestartFromStepZeroSetsTheAbandonedRunsOutputsAside() throws IOException {
        Path root = runWithBestAtStep6();
        damageAllCheckpoints(root);
        Files.writeString(root.resolve("eval/step-000006.json"), "{\"step\": 6}");
        List<String> rows = Files.readAllLines(root.resolve("metrics.jsonl"));
        List<String> grids = names(root.resolve("samples"), "step-");
        // an image run draws no scatter plots: one standing in for a 2-D run's
        Files.write(root.resolve("plots/scatter-step-000006.png"), new byte[] {1});
        List<String> plots = names(root.resolve("plots"), "");
        assertThat(grids).contains("step-000003.png", "step-000006.png");
        assertThat(RunInfo.read(root.resolve("run.json")).path(RunInfo.TRAINING_TIME_KEY).path("step").asLong())
                .isEqualTo(6);
        try (TrainingRun run = TrainingRun.resume(root, null, true)) {
            assertThat(run.resumedFrom()).isZero();
            // the abandoned session's stop time is not the restarted run's: a later crash of the new run at a
            // checkpoint of the same step would have resumed (and reported) its time
            assertThat(RunInfo.read(root.resolve("run.json")).has(RunInfo.TRAINING_TIME_KEY)).isFalse();
            assertThat(names(root.resolve("checkpoints"), "step-")).isEmpty();
            assertThat(names(root.resolve("samples"), "step-")).isEmpty();
            assertThat(names(root.resolve("plots"), "")).isEmpty();
            assertThat(names(root.resolve("eval"), "")).isEmpty();
            run.train(3, GanListener.Defaults.forRunDirectory());
        }
        List<String> aside = names(root, TrainingRun.ABANDONED_PREFIX);
        assertThat(aside).hasSize(1);
        Path abandoned = root.resolve(aside.get(0));
        assertThat(names(abandoned.resolve("checkpoints"), "step-")).containsExactly("step-000003", "step-000006");
        assertThat(abandoned.resolve("checkpoints-best/step-000006")).isDirectory();
        assertThat(names(abandoned.resolve("samples"), "")).isEqualTo(grids);
        assertThat(names(abandoned.resolve("plots"), "")).isEqualTo(plots);
        assertThat(abandoned.resolve("eval/step-000006.json")).hasContent("{\"step\": 6}");
        assertThat(Files.readAllLines(abandoned.resolve("metrics.jsonl"))).isEqualTo(rows);
        assertThat(RunInfo.read(abandoned.resolve("run.json")).path(RunInfo.TRAINING_TIME_KEY).path("step").asLong())
                .isEqualTo(6);
        // the restarted run's own outputs, real.png kept
        assertThat(root.resolve("samples/real.png")).isRegularFile();
        assertThat(names(root.resolve("samples"), "step-")).containsExactly("step-000003.png");
        assertThat(names(root.resolve("checkpoints"), "step-")).containsExactly("step-000003");
    }

    /**
     * A kill while a forced restart sets the abandoned outputs aside loses none of them: the next resume (refused
     * while a damaged checkpoint is left, then forced) sets the rest aside. The damaged checkpoints went first until
     * 1 December: a kill after them left a run that a plain resume restarted from step 0, truncating metrics.jsonl
     * before its copy was made and deleting the best checkpoint. No empty folder is left behind either.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"metrics.jsonl", "run.json", "checkpoints-best", "samples",
            "plots", "eval", "checkpoints"})
    void aKillWhileSettingTheAbandonedRunAsideLosesNothing(String stoppedBefore) throws IOException {
        Path root = runWithBestAtStep6();
        damageAllCheckpoints(root);
        Files.writeString(root.resolve("eval/step-000006.json"), "{\"step\": 6}");
        List<String> rows = Files.readAllLines(root.resolve("metrics.jsonl"));
        TrainingRun.setAsideProbe = part -> {
            if (part.equals(stoppedBefore)) {
                throw new IllegalStateException("killed before " + part);
            }
        };
        try {
            assertThatThrownBy(() -> TrainingRun.resume(root, null, true)).hasMessage("killed before " + stoppedBefore);
        } finally {
            TrainingRun.setAsideProbe = part -> {};
        }
        TrainingRun again;
        try {
            again = TrainingRun.resume(root);
        } catch (Gan4jException refused) {
            assertThat(refused).hasMessageContaining("none is valid");
            again = TrainingRun.resume(root, null, true);
        }
        try (TrainingRun run = again) {
            assertThat(run.resumedFrom()).isZero();
            run.train(3, GanListener.Defaults.forRunDirectory());
        }
        List<String> asides = names(root, TrainingRun.ABANDONED_PREFIX);
        List<String> checkpoints = new ArrayList<>();
        List<List<String>> metricsCopies = new ArrayList<>();
        boolean best = false;
        boolean eval = false;
        for (String aside : asides) {
            Path abandoned = root.resolve(aside);
            // a kill right after the folder was made left it empty until 1 December; the next set-aside removes it
            assertThat(names(abandoned, "")).as(aside).isNotEmpty();
            checkpoints.addAll(names(abandoned.resolve("checkpoints"), "step-"));
            if (Files.isRegularFile(abandoned.resolve("metrics.jsonl"))) {
                metricsCopies.add(Files.readAllLines(abandoned.resolve("metrics.jsonl")));
            }
            best |= Files.isDirectory(abandoned.resolve("checkpoints-best/step-000006"));
            eval |= Files.isRegularFile(abandoned.resolve("eval/step-000006.json"));
        }
        assertThat(checkpoints).containsExactlyInAnyOrder("step-000003", "step-000006");
        assertThat(metricsCopies).contains(rows);
        assertThat(best).as("best checkpoint set aside").isTrue();
        assertThat(eval).as("evaluation file set aside").isTrue();
        assertThat(names(root.resolve("checkpoints"), "step-")).containsExactly("step-000003");
    }

    /**
     * A kill inside the set-aside's first copy (metrics.jsonl, written to a temp file and renamed) left an
     * {@code abandoned-*} folder holding only that temp file; it was not empty, so it stayed for good. The next
     * set-aside removes such a folder as it removes an empty one.
     */
    @Test
    void anAbandonedFolderHoldingOnlyATempFileOfAKilledCopyIsRemovedByTheNextSetAside() throws IOException {
        Path root = runWithBestAtStep6();
        damageAllCheckpoints(root);
        TrainingRun.setAsideProbe = part -> {
            if (part.equals("metrics.jsonl")) {
                throw new IllegalStateException("killed before " + part);
            }
        };
        try {
            assertThatThrownBy(() -> TrainingRun.resume(root, null, true)).hasMessage("killed before metrics.jsonl");
        } finally {
            TrainingRun.setAsideProbe = part -> {};
        }
        List<String> asides = names(root, TrainingRun.ABANDONED_PREFIX);
        assertThat(asides).hasSize(1);
        // what the copy's kill leaves: the temp file AtomicFiles writes before its rename
        Path half = root.resolve(asides.get(0)).resolve(".metrics.jsonl.tmp-0123456789abcdef");
        Files.writeString(half, "half a copy");
        try (TrainingRun run = TrainingRun.resume(root, null, true)) {
            assertThat(run.resumedFrom()).isZero();
        }
        assertThat(half).doesNotExist();
        // one folder: the new set-aside's (within the same second it takes the removed folder's name)
        List<String> now = names(root, TrainingRun.ABANDONED_PREFIX);
        assertThat(now).hasSize(1);
        assertThat(names(root.resolve(now.get(0)), "")).contains("metrics.jsonl", "checkpoints")
                .noneMatch(AtomicFiles::isTempName);
    }

    private static List<String> names(Path folder, String prefix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var entries = Files.list(folder)) {
            return entries.map(entry -> entry.getFileName().toString()).filter(name -> name.startsWith(prefix))
                    .sorted().toList();
        }
    }

    /**
     * A resume that finds checkpoints but none valid is refused unless forced: starting again from step 0 would drop
     * the metrics rows and the (valid) best checkpoint of a run whose checkpoints were damaged, on a plain --resume
     * and with only a WARN (it did until 1 December).
     */
    @Test
    void resumeWithEveryCheckpointDamagedIsRefusedAndLosesNothing() throws IOException {
        Path root = runWithBestAtStep6();
        Path best = root.resolve(org.gan4j.training.listener.EvaluationListener.BEST_FOLDER);
        damageAllCheckpoints(root);
        List<String> rows = Files.readAllLines(root.resolve("metrics.jsonl"));
        assertThat(rows).isNotEmpty();

        assertThatThrownBy(() -> TrainingRun.resume(root))
                .isInstanceOf(Gan4jException.class)
                .hasMessageStartingWith(root + " has 2 checkpoints and none is valid (checkpoint ")
                .hasMessageContaining("generator.params")
                .hasMessageEndingWith("resuming would start again from step 0 and drop the metrics after step 0:"
                        + " restore the checkpoint files, or add --force to start again");
        assertThat(Files.readAllLines(root.resolve("metrics.jsonl"))).isEqualTo(rows);
        assertThat(best.resolve("step-000006")).isDirectory();
    }

    /** Damages every checkpoint of a run, so that a resume finds none valid and starts again from step 0. */
    private static void damageAllCheckpoints(Path root) throws IOException {
        try (var steps = Files.list(root.resolve("checkpoints"))) {
            for (Path step : steps.filter(Files::isDirectory).toList()) {
                Files.write(step.resolve("generator.params"), new byte[] {1, 2, 3});
            }
        }
    }

    /** A run trained to step 6 (checkpoints at 3 and 6) with, standing in for an evaluation's, a best at step 6. */
    private Path runWithBestAtStep6() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 12), temp.resolve("best"))) {
            run.train(6, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        // a valid checkpoint in checkpoints-best
        Path best = root.resolve(org.gan4j.training.listener.EvaluationListener.BEST_FOLDER);
        copyTree(root.resolve("checkpoints/step-000006"), best.resolve("step-000006"));
        Files.writeString(best.resolve("latest"), "step-000006\n");
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /** The warning rows of a run, as "step: text". */
    private static List<String> warnings(Path run) {
        List<String> warnings = new ArrayList<>();
        for (MetricsRow row : MetricsLog.read(run.resolve("metrics.jsonl"))) {
            JsonNode warning = row.extras().get("warning");
            if (warning != null) {
                warnings.add(row.step() + ": " + warning.asText());
            }
        }
        return warnings;
    }

    /**
     * An alarm's streak of measured steps that spans a stop counts whole: the resumed run warns at the step the
     * uninterrupted run warns at (D frozen by a learning rate of 1e-30: the fifth logged step, 50), not five logged
     * steps after the resume.
     */
    @Test
    void alarmStreaksContinueAcrossAResume() {
        java.util.function.Function<Path, RunConfig> frozen = out -> ConfigLoader.load(null, List.of(
                "name=frozen", "data.kind=gaussian", "model.architecture=mlp", "model.latentSize=2",
                "training.batchSize=8", "training.steps=100", "training.discriminator.learningRate=1e-30",
                "output.dir=" + temp.resolve("runs"), "output.logEvery=10", "output.sampleEvery=0",
                "output.plotEvery=0", "output.checkpointEvery=10"));
        java.util.function.Supplier<List<GanListener>> listeners = TrainingRunTest::withDefaultAlarms;
        Path straight;
        try (TrainingRun run = TrainingRun.create(frozen.apply(null), temp.resolve("straight"))) {
            run.train(0, listeners.get());
            straight = run.runDirectory().root();
        }
        assertThat(warnings(straight)).hasSize(1).first().asString().startsWith("50: D stopped learning at step 50");
        Path stopped;
        try (TrainingRun run = TrainingRun.create(frozen.apply(null), temp.resolve("stopped"))) {
            run.train(30, listeners.get());
            stopped = run.runDirectory().root();
        }
        try (TrainingRun run = TrainingRun.resume(stopped)) {
            run.train(0, listeners.get());
        }
        assertThat(warnings(stopped)).isEqualTo(warnings(straight));
    }

    /**
     * A resume that turns on an alarm the stopped session left out ({@code --alarms -d-stopped}, then the default)
     * warns about a condition still holding: the replay of the rows logged without that alarm must not count its
     * warning as shown (D frozen from the start; the first session stops at 60, past the streak's fifth step).
     */
    @Test
    void anAlarmTurnedOnByAResumeWarnsAboutAConditionTheStoppedSessionDidNotWatch() {
        java.util.function.Function<Path, RunConfig> frozen = out -> ConfigLoader.load(null, List.of(
                "name=frozen", "data.kind=gaussian", "model.architecture=mlp", "model.latentSize=2",
                "training.batchSize=8", "training.steps=100", "training.discriminator.learningRate=1e-30",
                "output.dir=" + temp.resolve("runs"), "output.logEvery=10", "output.sampleEvery=0",
                "output.plotEvery=0", "output.checkpointEvery=10"));
        org.gan4j.training.listener.FailureAlarms.Settings without = new org.gan4j.training.listener.FailureAlarms
                .Settings(org.gan4j.training.listener.FailureAlarms.Settings.parse("-d-stopped"), 5, 20, 0.3);
        Path stopped;
        try (TrainingRun run = TrainingRun.create(frozen.apply(null), temp.resolve("stopped"))) {
            List<GanListener> listeners = new ArrayList<>(GanListener.Defaults.forRunDirectory());
            listeners.add(new org.gan4j.training.listener.AlarmListener(
                    org.gan4j.training.listener.FailureAlarms.forRun(run.config(), without)));
            run.train(60, listeners);
            stopped = run.runDirectory().root();
        }
        assertThat(warnings(stopped)).noneMatch(w -> w.contains("D stopped learning"));
        try (TrainingRun run = TrainingRun.resume(stopped)) {
            run.train(0, withDefaultAlarms());
        }
        assertThat(warnings(stopped)).hasSize(1).first().asString().startsWith("70: D stopped learning at step 70");
    }

    /**
     * The vanishing-gradient streak spans a stop too: the resumed run replays the logged gradient norms (a D trained
     * too hard under the minimax loss, d2l's toy with D's learning rate 0.2 and 5 D updates a step, whose tanh units
     * saturate and leave G without a gradient; the uninterrupted run warns at step 1075, after the stop at 1000).
     */
    @Test
    void vanishingGradientStreakContinuesAcrossAResume() {
        java.util.function.Supplier<RunConfig> config = () -> ConfigLoader.load(null, List.of(
                "name=saturated", "data.kind=gaussian", "model.architecture=mlp", "model.latentSize=2",
                "model.mlp.initStd=0.02", "model.mlp.initBiases=normal", "loss.reduction=sum",
                "loss.generator=minimax", "training.batchSize=8", "training.steps=1100", "training.dSteps=5",
                "training.generator.learningRate=0.005", "training.generator.beta1=0.9",
                "training.discriminator.learningRate=0.2", "training.discriminator.beta1=0.9",
                "output.dir=" + temp.resolve("runs"), "output.logEvery=25", "output.sampleEvery=0",
                "output.plotEvery=0", "output.checkpointEvery=1000"));
        java.util.function.Supplier<List<GanListener>> listeners = () -> {
            List<GanListener> list = new ArrayList<>(GanListener.Defaults.forRunDirectory());
            list.add(new org.gan4j.training.listener.AlarmListener(
                    org.gan4j.training.listener.FailureAlarms.forRun(config.get())));
            return list;
        };
        Path straight;
        try (TrainingRun run = TrainingRun.create(config.get(), temp.resolve("straight"))) {
            run.train(0, listeners.get());
            straight = run.runDirectory().root();
        }
        assertThat(warnings(straight)).anyMatch(w -> w.contains("G's gradient vanishes"));
        Path stopped;
        try (TrainingRun run = TrainingRun.create(config.get(), temp.resolve("stopped"))) {
            run.train(1000, listeners.get());
            stopped = run.runDirectory().root();
        }
        try (TrainingRun run = TrainingRun.resume(stopped)) {
            run.train(0, listeners.get());
        }
        assertThat(warnings(stopped)).isEqualTo(warnings(straight));
    }

    /**
     * The constant-data warning is logged at step 0, and a restart from step 0 (a resume that finds no valid
     * checkpoint) keeps the rows of step 0: the resumed run must not log it a second time.
     */
    @Test
    void theConstantDataWarningIsLoggedOnceWhenARunRestartsFromStepZero() throws IOException {
        Path data = temp.resolve("black-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(data))) {
            out.writeInt(0x00000803);
            out.writeInt(16);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[16 * 28 * 28]);
        }
        java.util.function.Supplier<List<GanListener>> listeners = TrainingRunTest::withDefaultAlarms;
        Path straight;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 4), temp.resolve("straight"))) {
            run.train(0, listeners.get());
            straight = run.runDirectory().root();
        }
        assertThat(warnings(straight)).singleElement().asString().startsWith("0: the training data is constant");
        Path restarted;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 4), temp.resolve("restarted"))) {
            run.train(0, listeners.get());
            restarted = run.runDirectory().root();
        }
        damageAllCheckpoints(restarted);
        try (TrainingRun run = TrainingRun.resume(restarted, null, true)) {
            assertThat(run.resumedFrom()).isZero();
            run.train(0, listeners.get());
        }
        assertThat(warnings(restarted)).isEqualTo(warnings(straight));
        // nor does a resume from a later step
        Path stopped;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 4), temp.resolve("stopped"))) {
            run.train(2, listeners.get());
            stopped = run.runDirectory().root();
        }
        try (TrainingRun run = TrainingRun.resume(stopped)) {
            assertThat(run.resumedFrom()).isEqualTo(2);
            run.train(0, listeners.get());
        }
        assertThat(warnings(stopped)).isEqualTo(warnings(straight));
    }

    /** The run directory's listeners and an {@link org.gan4j.training.listener.AlarmListener} with the defaults. */
    private static List<GanListener> withDefaultAlarms() {
        List<GanListener> list = new ArrayList<>(GanListener.Defaults.forRunDirectory());
        list.add(new org.gan4j.training.listener.AlarmListener(
                org.gan4j.training.listener.FailureAlarms.withDefaults()));
        return list;
    }

    /** The metrics that must match bit for bit (wall times differ). */
    private static List<String> deterministicValues(Path run) {
        List<String> values = new ArrayList<>();
        for (MetricsRow row : MetricsLog.read(run.resolve("metrics.jsonl"))) {
            StringBuilder line = new StringBuilder(Long.toString(row.step()));
            for (String key : List.of("epoch", "lossD", "lossG", "dReal", "dFake", "dFakeAfter")) {
                line.append(' ').append(key).append('=').append(row.value(key).getAsDouble());
            }
            values.add(line.toString());
        }
        return values;
    }

    @Test
    void pointRunsDrawScatterPlotsWithTheDecisionMap() {
        RunConfig config =
                ConfigLoader.load(
                        null,
                        List.of(
                                "name=points",
                                "data.kind=ring",
                                "data.samples=400",
                                "model.architecture=mlp",
                                "model.latentSize=2",
                                "model.mlp.generatorHidden=[16]",
                                "model.packing=2",
                                "training.batchSize=20",
                                "training.steps=5",
                                "output.dir=" + temp.resolve("runs"),
                                "output.sampleEvery=5",
                                "output.sampleCount=50"));
        try (TrainingRun run = TrainingRun.create(config, null)) {
            run.train(0, GanListener.Defaults.forRunDirectory());
            assertThat(run.runDirectory().plots().resolve("scatter-step-000005.png")).isRegularFile();
            assertThat(run.runDirectory().samples().resolve("real.png")).doesNotExist();
        }
    }

    @Test
    void checkpointOfAnotherArchitectureIsRefusedWithOneLine() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 3), null)) {
            run.train(0, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        ObjectNode info = (ObjectNode) Json.MAPPER.readTree(root.resolve("run.json").toFile());
        ((ObjectNode) info.path("config").path("model").path("dcgan")).put("generatorFeatures", 8);
        Json.MAPPER.writeValue(root.resolve("run.json").toFile(), info);
        // the edit is caught first as a changed config; --force gets past that but not past the architecture check
        assertThatThrownBy(() -> TrainingRun.resume(root))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("run.json edited?");
        assertThatThrownBy(() -> TrainingRun.resume(root, null, true))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("different architecture")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> TrainingRun.openForInference(root, -1))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("different architecture");
    }

    /**
     * {@code --resume --force} with a config whose networks differ from the checkpoint's is refused, and the refusal
     * leaves the run as it was: run.json still holds the run's own config, so a plain {@code --resume} (and
     * {@code sample}, which builds the networks from run.json) still work (run.json was rewritten before the
     * architecture check, and the run could not be resumed or sampled any more).
     */
    @Test
    void aRefusedForcedConfigLeavesRunJsonAsItWas() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 6), null)) {
            run.train(3, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        String runJson = Files.readString(root.resolve("run.json"));
        RunConfig wider = tinyDcgan(data, 6, "model.dcgan.generatorFeatures=8");
        assertThatThrownBy(() -> TrainingRun.resume(root, wider, true))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("different architecture");
        assertThat(Files.readString(root.resolve("run.json"))).isEqualTo(runJson);
        try (GanTrainer trainer = TrainingRun.openForInference(root, -1)) {
            assertThat(trainer.step()).isEqualTo(3);
        }
        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.train(0, GanListener.Defaults.forRunDirectory()).completed()).isTrue();
        }
    }

    /**
     * The refusal of a checkpoint of another architecture shows where the two networks differ, not only the start
     * of their descriptions (which was all the message showed, the same text twice, when they differ further on).
     */
    @Test
    void theArchitectureRefusalShowsWhereTheNetworksDiffer() {
        java.util.function.Function<String, RunConfig> toy = hidden -> ConfigLoader.load(null, List.of(
                "name=toy", "data.kind=gaussian", "model.architecture=mlp", "model.latentSize=2",
                "model.mlp.discriminatorHidden=" + hidden, "training.batchSize=8", "training.steps=4",
                "output.dir=" + temp.resolve("runs"), "output.sampleEvery=0", "output.plotEvery=0"));
        Path root;
        try (TrainingRun run = TrainingRun.create(toy.apply("[5,3]"), null)) {
            run.train(2, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        assertThatThrownBy(() -> TrainingRun.resume(root, toy.apply("[7]"), true))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("different architecture")
                .hasMessageContaining("D hidden=[5, 3]")
                .hasMessageContaining("D hidden=[7]")
                .hasMessageNotContaining("\n");
    }

    /**
     * A second {@code --resume} of a run that another process is training now is refused before it changes anything
     * (it truncated metrics.jsonl and deleted checkpoints under the running process, and both then wrote the same
     * files); a marker left by a process that no longer lives (a kill) does not stop a resume.
     */
    @Test
    void aRunThatAnotherLiveProcessTrainsIsNotResumed() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 6), null)) {
            run.train(3, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        Path marker = root.resolve(org.gan4j.io.RunDirectory.TRAINING_MARKER);
        long other = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(marker, "{\"pid\":" + other + ",\"host\":\"" + TrainingRun.hostName() + "\"}");
        String metrics = Files.readString(root.resolve("metrics.jsonl"));
        assertThatThrownBy(() -> TrainingRun.resume(root))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("is being trained now by process " + other)
                .hasMessageNotContaining("\n");
        assertThat(Files.readString(root.resolve("metrics.jsonl"))).isEqualTo(metrics);
        // a marker of a process that has ended
        Process ended = new ProcessBuilder("true").start();
        try {
            ended.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Files.writeString(marker, "{\"pid\":" + ended.pid() + ",\"host\":\"" + TrainingRun.hostName() + "\"}");
        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.resumedFrom()).isEqualTo(3);
        }
    }

    /**
     * An open run holds its directory's lock: a second resume, in this process or another, is refused in one line
     * before it changes anything (the training marker alone left a window between two resumes started together).
     */
    @Test
    void anOpenRunCannotBeResumedByAnotherAtTheSameTime() throws Exception {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 6), null)) {
            run.train(3, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
            String metrics = Files.readString(root.resolve("metrics.jsonl"));
            assertThatThrownBy(() -> TrainingRun.resume(root))
                    .isInstanceOf(Gan4jException.class)
                    .hasMessage(root + " is open in another gan4j process (training or resuming it): let it finish or"
                            + " stop it before resuming");
            assertThat(Files.readString(root.resolve("metrics.jsonl"))).isEqualTo(metrics);
        }
        try (TrainingRun resumed = TrainingRun.resume(root)) {
            assertThat(resumed.resumedFrom()).isEqualTo(3);
            // another process holding the lock (python's fcntl locks are the JVM's on Linux)
            org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("python3", "-c", "import fcntl").start()
                    .waitFor() == 0, "python3 with fcntl");
        }
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'a')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\n"
                + "time.sleep(30)", root.resolve(TrainingRun.LOCK_FILE).toString()).start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine())
                    .isEqualTo("locked");
            assertThatThrownBy(() -> TrainingRun.resume(root)).isInstanceOf(Gan4jException.class)
                    .hasMessageContaining("is open in another gan4j process");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        try (TrainingRun again = TrainingRun.resume(root)) {
            assertThat(again.resumedFrom()).isEqualTo(3);
        }
    }

    /**
     * A kill while a checkpoint of the same step is written again (the old one renamed aside, the new one not yet
     * renamed into place) leaves that step only under a temp name: the resume puts it back and continues from it,
     * where it fell back to the previous checkpoint and the next write deleted the old one as a leftover.
     */
    @Test
    void aKillDuringTheRewriteOfACheckpointLosesNoCheckpoint() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyDcgan(data, 12), null)) {
            run.train(6, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        Path checkpoints = root.resolve("checkpoints");
        Files.move(checkpoints.resolve("step-000006"), checkpoints.resolve(".tmp-replaced-step-000006-0123456789abcdef"));
        Files.createDirectory(checkpoints.resolve(".tmp-step-000006-fedcba9876543210"));
        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.resumedFrom()).isEqualTo(6);
        }
        assertThat(checkpoints.resolve("step-000006")).isDirectory();
    }

    /**
     * What a kill during the write of a best checkpoint leaves in checkpoints-best (a half-written {@code .tmp-}
     * folder, as large as the networks) is removed on resume: that folder is written again only when an evaluation
     * improves, which may never happen.
     */
    @Test
    void aResumeClearsTheLeftoversOfAnInterruptedBestCheckpoint() throws IOException {
        Path root = runWithBestAtStep6();
        Path best = root.resolve(org.gan4j.training.listener.EvaluationListener.BEST_FOLDER);
        Path half = best.resolve(".tmp-step-000009-0123456789abcdef");
        Files.createDirectory(half);
        Files.write(half.resolve("generator.params"), new byte[1000]);
        Path pointer = best.resolve(".latest.tmp-0123456789abcdef");
        Files.writeString(pointer, "step-0000");
        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.resumedFrom()).isEqualTo(6);
        }
        assertThat(half).doesNotExist();
        assertThat(pointer).doesNotExist();
        assertThat(best.resolve("step-000006")).isDirectory();
    }

    @Test
    void existingOutputDirectoryIsNeverReused() throws IOException {
        Path data = writeIdx(temp.resolve("images-idx3-ubyte"), 40);
        Path out = temp.resolve("taken");
        Files.createDirectories(out);
        Files.writeString(out.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> TrainingRun.create(tinyDcgan(data, 3), out))
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("not empty");
        assertThat(Files.readString(out.resolve("precious.txt"))).isEqualTo("keep me");
    }
}
