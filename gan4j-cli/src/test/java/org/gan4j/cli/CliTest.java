package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CliTest {

    @TempDir Path temp;

    /** Exit code, stdout and stderr of one CLI invocation. */
    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path writeIdx(Path file, int declared, int actual) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(stream)) {
            out.writeInt(0x00000803);
            out.writeInt(declared);
            out.writeInt(28);
            out.writeInt(28);
            for (int n = 0; n < actual; n++) {
                for (int i = 0; i < 28 * 28; i++) {
                    out.writeByte(((i / 28 + n) % 4 == 0) ? 255 : (i % 28) * 9);
                }
            }
        }
        return file;
    }

    /** A test body that may throw IOException. */
    @FunctionalInterface
    interface IoBody {
        void run() throws IOException;
    }

    /** Runs {@code body}, then puts the JVM-wide system property back as it was before (set to its value, or unset). */
    static void restoringProperty(String property, IoBody body) throws IOException {
        String before = System.getProperty(property);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    /** A user mistake: exit code 2, one {@code gan4j: error:} line holding every fragment, no stack trace. */
    static void assertUserError(Result result, String... fragments) {
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.errLines()).as("stderr: " + result.err()).hasSize(1);
        assertThat(result.err()).startsWith("gan4j: error: ").doesNotContain("Exception").doesNotContain("\tat ");
        for (String fragment : fragments) {
            assertThat(result.err()).contains(fragment);
        }
    }

    /**
     * An empty or blank value of a string option is a one-line error naming the option and what it expects, before
     * anything runs: --eval-reference "" printed "--reference  scores it" (two spaces), --eval-metrics "" meant all
     * metrics, --best-by "" "--best-by  is not a metric".
     */
    @Test
    void emptyOptionValuesNameTheOptionAndWhatItExpects() {
        String config = Path.of("..", "configs", "d2l-gaussian.yaml").toString();
        String[][] cases = {
            {"--eval-reference", "", "--eval-reference is empty; expected a shipped classifier name (e.g."
                    + " fashion-mnist-v1) or a NAME.params file"},
            {"--best-by", "", "--best-by is empty; expected a metric name, e.g. fd or coverage"},
            {"--eval-metrics", "", "--eval-metrics is empty; expected a comma-separated list of metric names (leave"
                    + " the option out for all)"},
            {"--eval-metrics", " ", "--eval-metrics is blank; expected a comma-separated list of metric names"},
            {"--out", "", "--out is empty; expected the folder to write the run to"},
            {"--resume", "", "--resume is empty; expected the run directory to continue"},
            {"--set", "", "--set is empty; expected KEY=VALUE, e.g. --set training.steps=500"},
        };
        for (String[] c : cases) {
            Result result = run("train", "--config", config, "--eval-every", "10", "--dry-run", c[0], c[1]);
            assertUserError(result, c[2]);
            assertThat(result.err()).as(c[0]).doesNotContain("  ");
        }
        assertUserError(run("evaluate", "--run", ".", "--reference", ""),
                "gan4j: error: --reference is empty; expected a shipped classifier name");
        assertUserError(run("evaluate", "--run", ".", "--metrics", "", "--checkpoint", "latest"),
                "gan4j: error: --metrics is empty; expected a comma-separated list");
        assertUserError(run("report", ".", "--out", ""), "gan4j: error: --out is empty; expected a");
        // a run directory given as "" read as the working folder: "gan4j: error:  is not a gan4j run directory"
        assertUserError(run("report", ""), "gan4j: error: RUN_DIR is empty; expected a run directory");
        assertUserError(run("report", ".", " "), "gan4j: error: RUN_DIR is blank; expected a run directory");
        assertUserError(run("serve", ""), "gan4j: error: DIR is empty; expected a folder of run directories");
        // by paramLabel these said 'expected a folder', 'expected a value (ADDR)' and 'expected a value (NAME)'
        assertUserError(run("classifier", "train", "--class-names", ""), "gan4j: error: --class-names is empty; expected"
                + " the class names in label order, separated by commas");
        assertUserError(run("evaluate", "--run", ""), "gan4j: error: --run is empty; expected a run directory written by"
                + " gan4j train");
        assertUserError(run("sample", "--run", "", "--grid", "g.png"), "gan4j: error: --run is empty; expected a run directory");
        assertUserError(run("serve", "--bind", "", "."), "gan4j: error: --bind is empty; expected an address such as"
                + " 127.0.0.1");
        // --help wins over a blank value, as over every other mistake on the line: it printed the error instead
        Result help = run("train", "--eval-reference", "", "--help");
        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage: gan4j train");
        assertThat(help.err()).doesNotContain("is empty");
    }

    /** A run's run.json given as a config: the error says the config sits under its 'config' key, and what to use. */
    @Test
    void runJsonAsConfigSaysWhereTheConfigIs() throws IOException {
        Path run = Files.createDirectories(temp.resolve("runs/earlier"));
        Path runJson = run.resolve("run.json");
        Files.writeString(runJson, "{\n  \"start\": \"2026-01-01T00:00:00Z\",\n  \"seed\": 42,\n  \"versions\": {\"gan4j\": "
                + "\"0.1.0\"},\n  \"config\": {\"name\": \"earlier\", \"training\": {\"steps\": 5}}\n}\n");
        assertUserError(run("train", "--config", runJson.toString(), "--dry-run"), runJson.toString(),
                "is a run's run.json, not a config", "under its 'config' key", "--resume " + run);
        // a config that merely has a key named 'config' among its mistakes keeps the ordinary message
        Path yaml = Files.writeString(temp.resolve("odd.yaml"), "config: {}\ntraining:\n  steps: 5\n");
        assertUserError(run("train", "--config", yaml.toString(), "--dry-run"), "unknown key 'config'");
    }

    /**
     * A run made before 1 December from a config holding a data.path but a 2-D point kind (it trained on the points,
     * the path unread) recorded that path in its run.json; the rule that now refuses such a config for a new run made
     * the old run impossible to resume, sample or evaluate ("data.path … is not read when data.kind is ring"), and its
     * resume and evaluation asked for the unread path to exist.
     */
    @Test
    void aRunRecordedWithAnUnreadDataPathBeside2dPointsStillResumesSamplesAndEvaluates() throws IOException {
        org.gan4j.config.RunConfig ring = org.gan4j.config.ConfigLoader.load(null, List.of("name=earlier",
                "data.kind=ring", "model.architecture=mlp", "training.batchSize=8", "training.steps=6",
                "training.threads=1", "output.logEvery=2", "output.checkpointEvery=3", "output.sampleEvery=0",
                "output.plotEvery=0", "output.sampleCount=50"));
        org.gan4j.config.DataConfig data = ring.data();
        // as the gan4j of before 1 December made it: trained on the ring, the path recorded and never read
        org.gan4j.config.RunConfig recorded = new org.gan4j.config.RunConfig(ring.name(), ring.seed(),
                new org.gan4j.config.DataConfig(data.kind(), temp.resolve("my-photos").toString(), data.samples(),
                        data.gaussian(), data.ring(), data.grid(), data.imageSize(), data.channels(),
                        data.cifarVariant(), data.onBadFile(), data.limit()),
                ring.model(), ring.loss(), ring.training(), ring.output());
        Path run = temp.resolve("earlier");
        try (org.gan4j.training.TrainingRun training = org.gan4j.training.TrainingRun.create(recorded, run)) {
            training.train(3, org.gan4j.training.listener.GanListener.Defaults.forRunDirectory());
        }
        Result resumed = run("train", "--resume", run.toString(), "--no-progress");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(run.resolve("checkpoints/step-000006")).isDirectory();
        Result sampled = run("sample", "--run", run.toString(), "-n", "20", "--csv", temp.resolve("p.csv").toString());
        assertThat(sampled.code()).as(sampled.err()).isZero();
        Result evaluated = run("evaluate", "--run", run.toString(), "-n", "100", "--metrics", "modes", "--out",
                temp.resolve("eval.json").toString());
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        // a --set on top of the recorded config keeps it too; a new config with such a path is still refused
        Result forced = run("train", "--resume", run.toString(), "--set", "training.steps=8", "--force", "--no-progress");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertUserError(run("train", "--set", "data.kind=ring", "--set", "data.path=" + temp.resolve("my-photos"),
                "--dry-run"), "is not read when data.kind is ring");
    }

    @Test
    void missingDatasetPath() {
        assertUserError(run("train", "--data", temp.resolve("nowhere").toString(), "--dry-run"), "nowhere", "does not exist");
    }

    /**
     * The CIFAR-10 preset before its data is downloaded said only 'data path …/data/cifar-10-batches-bin does not
     * exist'; it names the preset the path came from and where the download is described.
     */
    @Test
    void aPresetsMissingDataNamesThePresetAndHowToGetIt() {
        Result result = run("train", "--config", "../configs/dcgan-cifar10.yaml", "--dry-run");
        assertUserError(result, "data path ", "data/cifar-10-batches-bin does not exist",
                "(data.path in ../configs/dcgan-cifar10.yaml); cifar-10 is not there yet: docs/configuration.md"
                        + " ('Getting the image data') says how to get it");
        // --set data.path replaces the preset's path: the preset is not named
        Result set = run("train", "--config", "../configs/dcgan-cifar10.yaml", "--set",
                "data.path=" + temp.resolve("elsewhere"), "--dry-run");
        assertUserError(set, "data path " + temp.resolve("elsewhere") + " does not exist");
        assertThat(set.err()).doesNotContain("data.path in");
    }

    @Test
    void truncatedIdxFile() throws IOException {
        Path file = writeIdx(temp.resolve("train-images-idx3-ubyte"), 1000, 3);
        assertUserError(run("train", "--data", file.toString(), "--dry-run"), file.toString(), "truncated");
    }

    @Test
    void corruptCifarFile() throws IOException {
        Path file = temp.resolve("data_batch_1.bin");
        Files.write(file, new byte[3073 * 2 + 5]);
        assertUserError(
                run("train", "--set", "data.kind=cifar", "--set", "data.path=" + file, "--dry-run"), file.toString());
    }

    @Test
    void cifarPythonVersionNamesTheBinaryVersionToGet() throws IOException {
        // the pickled batches of cifar-10-python.tar.gz: protocol 2 (bytes 0x80 0x02), about 31 MB each in the real set
        Path folder = Files.createDirectories(temp.resolve("cifar-10-batches-py"));
        byte[] pickle = new byte[3073 * 3 + 40];
        pickle[0] = (byte) 0x80;
        pickle[1] = 2;
        pickle[2] = '}';
        Files.write(folder.resolve("data_batch_1"), pickle);
        Files.write(folder.resolve("batches.meta"), new byte[] {(byte) 0x80, 2, '}', '.'});
        for (String[] args : List.of(
                new String[] {"train", "--data", folder.toString(), "--dry-run"},
                new String[] {"train", "--config", "../configs/dcgan-cifar10.yaml", "--set", "data.path=" + folder,
                    "--dry-run"},
                new String[] {"train", "--config", "../configs/dcgan-cifar10.yaml", "--set",
                    "data.path=" + folder.resolve("data_batch_1"), "--dry-run"})) {
            assertUserError(run(args), "CIFAR python version", "cifar-10-binary.tar.gz", folder.toString());
        }
    }

    @Test
    void imageFolderWithoutImages() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("photos"));
        Files.writeString(folder.resolve("notes.txt"), "no pictures here");
        assertUserError(
                run("train", "--data", folder.toString(), "--set", "data.imageSize=32", "--set", "data.channels=3", "--dry-run"),
                folder.toString());
    }

    @Test
    void unknownConfigKey() throws IOException {
        Path config = temp.resolve("bad.yaml");
        Files.writeString(config, "training:\n  lr: 0.001\n");
        assertUserError(run("train", "--config", config.toString(), "--dry-run"), "training.lr", "bad.yaml");
    }

    @Test
    void badConfigValue() {
        assertUserError(run("train", "--set", "training.batchSize=-4", "--dry-run"), "training.batchSize");
        assertUserError(run("train", "--set", "loss.generator=wasserstein", "--dry-run"), "loss.generator");
    }

    @Test
    void outputDirectoryThatCannotBeWritten() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertUserError(
                run("train", "--set", "output.dir=" + file.resolve("runs"), "--set", "training.steps=2"),
                file.toString());
    }

    @Test
    void badOption() {
        Result result = run("train", "--max-steps", "many");
        assertUserError(result, "--max-steps");
    }

    @Test
    void runDirectoryThatIsNotARun() {
        assertUserError(
                run("sample", "--run", temp.toString(), "--grid", temp.resolve("g.png").toString()), "run.json");
    }

    /**
     * {@code --data PATH} is a path, never YAML: it went into the config as {@code --set data.path=PATH}, so that
     * "photos #1" trained on "photos" (the rest read as a comment), "a: b" was "must be a string, got a mapping", and
     * a folder named 2024 or yes was "data.path in --set must be a string".
     */
    @Test
    void dataPathsAreTakenAsWritten() throws IOException {
        for (String name : new String[] {"photos #1", "set: one", "it's [x]"}) {
            Path folder = Files.createDirectories(temp.resolve(name));
            Path file = writeIdx(folder.resolve("train-images-idx3-ubyte"), 16, 16);
            Result dry = run("train", "--data", file.toString(), "--set", "training.batchSize=4", "--dry-run");
            assertThat(dry.code()).as(name + ": " + dry.err()).isZero();
            assertThat(dry.out()).as(name).contains("data   idx " + file + " (16 × 1×28×28, ");
        }
        // and the demo's --out is the folder it names
        Path presets = Files.createDirectories(temp.resolve("presets"));
        Files.writeString(presets.resolve("d2l-gaussian.yaml"), "name: toy\ntraining: {steps: 2, batchSize: 8}\n");
        Path images = writeIdx(temp.resolve("train-images-idx3-ubyte"), 16, 16);
        Files.writeString(presets.resolve("dcgan-fashion-mnist.yaml"), "name: dcgan\ndata: {kind: idx, path: '"
                + images + "'}\nmodel: {latentSize: 4, dcgan: {generatorFeatures: 2, discriminatorFeatures: 2}}\n"
                + "training: {batchSize: 4}\n");
        Path out = temp.resolve("demo #1");
        Result demo = run("demo", "--configs", presets.toString(), "--out", out.toString(), "--dcgan-steps", "1");
        assertThat(demo.code()).as(demo.err()).isZero();
        assertThat(out.resolve("toy/run.json")).isRegularFile();
        assertThat(temp.resolve("demo")).doesNotExist();
        // the commands a finished run suggests quote such a folder, whose space and '#' a shell would split and cut
        assertThat(Reports.nextSteps(out.resolve("toy"), true)).isEqualTo("next: gan4j evaluate --run '"
                + out.resolve("toy") + "'  ·  gan4j sample --run '" + out.resolve("toy") + "' -n 1000 --csv points.csv"
                + "  ·  gan4j report '" + out.resolve("toy") + "'");
    }

    @Test
    void trainSampleAndInterpolateAnImageRun() throws IOException {
        Path data = writeIdx(temp.resolve("train-images-idx3-ubyte"), 32, 32);
        Path runDir = temp.resolve("run");
        Result train =
                run(
                        "train",
                        "--data", data.toString(),
                        "--out", runDir.toString(),
                        "--set", "model.latentSize=8",
                        "--set", "model.dcgan.generatorFeatures=4",
                        "--set", "model.dcgan.discriminatorFeatures=4",
                        "--set", "training.batchSize=8",
                        "--set", "training.steps=4",
                        "--no-progress");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("done: steps 0 → 4").contains(runDir.toString());
        assertThat(runDir.resolve("checkpoints/step-000004")).isDirectory();
        // on a machine whose libtorch miscomputes convolutions with few channels (ConvolutionCheck), the plan says so
        // and that these feature counts (4) make such layers; elsewhere it says nothing
        String convolutions = org.gan4j.nn.ConvolutionCheck.problem();
        if (convolutions == null) {
            assertThat(train.out()).doesNotContain("warning  libtorch");
        } else {
            assertThat(train.out()).contains("  warning  " + convolutions + ": this run's feature counts, not multiples"
                    + " of 16, make such layers; the gan4j launcher computes them correctly (GAN4J_ONEDNN_CACHES=auto),"
                    + " as does ONEDNN_MAX_CPU_ISA=SSE41, slowly"
                    + " (docs/RELIABILITY.md)");
        }

        Path grid = temp.resolve("grid.png");
        Result sample = run("sample", "--run", runDir.toString(), "-n", "9", "--grid", grid.toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        assertThat(ImageIO.read(grid.toFile()).getWidth()).isGreaterThan(28 * 3);

        Path dir = temp.resolve("singles");
        assertThat(run("sample", "--run", runDir.toString(), "-n", "3", "--out-dir", dir.toString()).code()).isZero();
        assertThat(ImageIO.read(dir.resolve("sample-000002.png").toFile()).getWidth()).isEqualTo(28);

        Path line = temp.resolve("line.png");
        Result interpolate =
                run("interpolate", "--run", runDir.toString(), "--steps", "5", "--slerp", "--out", line.toString());
        assertThat(interpolate.code()).as(interpolate.err()).isZero();
        assertThat(line).isRegularFile();

        // the same seed gives the same samples
        Path again = temp.resolve("again.png");
        run("sample", "--run", runDir.toString(), "-n", "9", "--grid", again.toString());
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(grid));

        // points-only output on an image run is a user error
        assertUserError(run("sample", "--run", runDir.toString(), "--csv", temp.resolve("x.csv").toString()), "--grid");

        // a checkpoint that does not fit the architecture in run.json
        ObjectNode info = (ObjectNode) Json.MAPPER.readTree(runDir.resolve("run.json").toFile());
        ((ObjectNode) info.path("config").path("model").path("dcgan")).put("discriminatorFeatures", 6);
        Json.MAPPER.writeValue(runDir.resolve("run.json").toFile(), info);
        assertUserError(run("sample", "--run", runDir.toString(), "--grid", grid.toString()), "different architecture");
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 128})
    void theEmojiPresetTrainsOnAFolderOfColourImagesAt64And128Pixels(int size) throws IOException {
        // README: a folder of photos at 64×64 (the preset) or 128×128 (--set data.imageSize=128); images of any size
        Path photos = Files.createDirectories(temp.resolve("photos"));
        for (int i = 0; i < 6; i++) {
            BufferedImage image = new BufferedImage(40 + 10 * i, 50, BufferedImage.TYPE_INT_RGB);
            image.setRGB(i, i, 0xFF8800);
            ImageIO.write(image, "png", photos.resolve("photo-" + i + ".png").toFile());
        }
        Path runDir = temp.resolve("run-" + size);
        Result train = run("train", "--config", "../configs/dcgan-emoji64.yaml", "--set", "data.path=" + photos,
                "--set", "data.imageSize=" + size, "--out", runDir.toString(), "--set", "model.latentSize=8",
                "--set", "model.dcgan.generatorFeatures=2", "--set", "model.dcgan.discriminatorFeatures=2",
                "--set", "training.batchSize=2", "--set", "output.sampleCount=4", "--set", "output.sampleEvery=2",
                "--max-steps", "2", "--no-progress");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("6 × 3×" + size + "×" + size).contains("steps 0 → 2");
        BufferedImage grid = ImageIO.read(runDir.resolve("samples/step-000002.png").toFile());
        assertThat(grid.getWidth()).isGreaterThanOrEqualTo(2 * size);
        assertThat(runDir.resolve("plots/losses.png")).isRegularFile();
    }

    @Test
    void theCifarPresetTrainsOnBinaryBatches() throws IOException {
        // the official binary format: per image 1 label byte, then 1024 red, 1024 green, 1024 blue bytes
        Path folder = Files.createDirectories(temp.resolve("cifar-10-batches-bin"));
        for (int batch = 1; batch <= 2; batch++) {
            byte[] bytes = new byte[4 * 3073];
            for (int r = 0; r < 4; r++) {
                bytes[r * 3073] = (byte) (r + batch);
                for (int i = 1; i < 3073; i++) {
                    bytes[r * 3073 + i] = (byte) (i * (r + 1));
                }
            }
            Files.write(folder.resolve("data_batch_" + batch + ".bin"), bytes);
        }
        Files.write(folder.resolve("test_batch.bin"), new byte[3073]);
        Path runDir = temp.resolve("cifar");
        Result train = run("train", "--config", "../configs/dcgan-cifar10.yaml", "--set", "data.path=" + folder,
                "--out", runDir.toString(), "--set", "model.latentSize=8", "--set", "model.dcgan.generatorFeatures=2",
                "--set", "model.dcgan.discriminatorFeatures=2", "--set", "training.batchSize=2", "--set",
                "output.sampleEvery=2", "--max-steps", "2", "--no-progress");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("cifar-10 " + folder + " (8 × 3×32×32, 10 classes)").contains("steps 0 → 2");
        assertThat(ImageIO.read(runDir.resolve("samples/real.png").toFile()).getWidth()).isGreaterThan(2 * 32);
        assertThat(runDir.resolve("samples/step-000002.png")).isRegularFile();
    }

    @Test
    void updateRatiosAndTheMinimaxLossRunFromTheCommandLineAndRepeatWithTheSeed() throws IOException {
        // Goodfellow 2014's k D steps per G step, the TensorFlow DCGAN's 2 G steps per D step, the minimax loss
        String[][] variants = {
            {"training.dSteps=3", "D:G updates 3:1, non-saturating loss"},
            {"training.gSteps=2", "D:G updates 1:2, non-saturating loss"},
            {"loss.generator=minimax", "D:G updates 1:1, minimax loss"},
            {"training.dSteps=1", "D:G updates 1:1, non-saturating loss"},
        };
        List<List<String>> firstRows = new java.util.ArrayList<>();
        for (String[] variant : variants) {
            List<List<String>> rows = new java.util.ArrayList<>();
            for (int attempt = 0; attempt < 2; attempt++) {
                Path runDir = temp.resolve("variant" + firstRows.size() + "-" + attempt);
                Result train = run("train", "--config", "../configs/d2l-gaussian.yaml", "--set", variant[0],
                        "--max-steps", "50", "--out", runDir.toString(), "--no-progress");
                assertThat(train.code()).as(train.err()).isZero();
                assertThat(train.out()).contains(variant[1]);
                rows.add(rowsWithoutTimings(runDir));
            }
            // same config and seed: the same metrics.jsonl, timings aside
            assertThat(rows.get(0)).hasSize(2).isEqualTo(rows.get(1));
            firstRows.add(rows.get(0));
        }
        // each option changes what training does
        assertThat(new java.util.HashSet<>(firstRows)).hasSize(variants.length);
    }

    private static List<String> rowsWithoutTimings(Path run) throws IOException {
        List<String> rows = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode json = (ObjectNode) Json.MAPPER.readTree(line);
            json.remove(List.of("secs", "dataWaitSecs", "wallSecs"));
            rows.add(json.toString());
        }
        return rows;
    }

    @Test
    void trainAndSamplePointsAsCsv() throws IOException {
        Path runDir = temp.resolve("toy");
        Result train =
                run("train", "--out", runDir.toString(), "--set", "model.latentSize=2", "--set", "training.steps=20",
                        "--set", "training.batchSize=8", "--no-progress");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("2-D fit").contains("Fréchet distance");
        Path csv = temp.resolve("points.csv");
        assertThat(run("sample", "--run", runDir.toString(), "-n", "100", "--csv", csv.toString()).code()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(101);
        assertThat(lines.get(0)).isEqualTo("x,y");
        assertThat(lines.get(1).split(",")).hasSize(2);
    }

    @Test
    void mixtureRunSummaryCountsModesAsEvaluateDoes() throws IOException {
        Path runDir = temp.resolve("ring");
        Result train = run("train", "--out", runDir.toString(), "--set", "data.kind=ring", "--set", "data.samples=2000",
                "--set", "model.latentSize=2", "--set", "seed=7", "--set", "training.steps=30", "--set",
                "training.batchSize=50", "--no-progress");
        assertThat(train.code()).as(train.err()).isZero();
        java.util.regex.Matcher modes = java.util.regex.Pattern.compile(
                        "modes: (\\d+) of 8 captured by 2500 generated points, ([0-9.]+) % of them of high quality"
                                + " \\(within 3 std of a mode\\), reverse KL ([0-9.]+|NaN|Infinity) nats")
                .matcher(train.out());
        assertThat(modes.find()).as(train.out()).isTrue();
        // the summary's count is the one gan4j evaluate gives for the final checkpoint at the run's seed
        Path json = temp.resolve("ring-eval.json");
        Result evaluate = run("evaluate", "--run", runDir.toString(), "--metrics", "modes", "-n", "2500", "--seed", "7",
                "--out", json.toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        var metrics = Json.MAPPER.readTree(json.toFile()).path("metrics");
        assertThat(Integer.parseInt(modes.group(1))).isEqualTo(metrics.path("modesCaptured").asInt());
        assertThat(Double.parseDouble(modes.group(2)))
                .isCloseTo(100 * metrics.path("highQualityFraction").asDouble(), org.assertj.core.data.Offset.offset(0.05));
        // and the verdict on them follows, as gan4j evaluate prints it
        assertThat(train.out()).containsAnyOf("mode collapse", "mode captured", "modes captured");
    }

    @Test
    void dryRunWritesNothing() {
        Path out = temp.resolve("dry");
        Result result = run("train", "--set", "output.dir=" + out, "--dry-run");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("dry run OK");
        assertThat(out.resolve("run")).doesNotExist();
    }

    @Test
    void dryRunChecksTheOutFolderTheRealRunWouldUse() throws IOException {
        // a folder the real run refuses is refused by the dry run too, with the same line
        Path taken = temp.resolve("taken");
        Files.createDirectories(taken);
        Files.writeString(taken.resolve("notes.txt"), "mine");
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        for (Path out : List.of(taken, file, file.resolve("run"))) {
            Result dry = run("train", "--out", out.toString(), "--set", "training.steps=2", "--dry-run");
            Result real = run("train", "--out", out.toString(), "--set", "training.steps=2", "--no-progress");
            assertUserError(dry, out.startsWith(file) ? file.toString() : out.toString());
            assertThat(real.code()).isEqualTo(2);
            assertThat(dry.err()).as(out.toString()).isEqualTo(real.err());
        }
        assertThat(taken.resolve("notes.txt")).hasContent("mine");
        // a new folder below missing ones passes and creates nothing
        Path fresh = temp.resolve("new/deeper/run");
        Result ok = run("train", "--out", fresh.toString(), "--set", "training.steps=2", "--dry-run");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(temp.resolve("new")).doesNotExist();
    }

    @Test
    void everyCommandDocumentsItsOptions() {
        for (String command : List.of("train", "sample", "interpolate", "info", "demo")) {
            Result help = run(command, "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("Usage: gan4j " + command);
        }
        assertThat(run("train", "--help").out()).contains("--config", "--set", "--max-steps", "--dry-run", "--out", "--resume", "--data");
        assertThat(run("sample", "--help").out()).contains("--run", "--checkpoint", "--seed", "-n", "--grid", "--out-dir", "--csv");
        // evaluate's description names every metric family, the classifier-free pixel diversity included
        assertThat(run("evaluate", "--help").out().replaceAll("\\s+", " ")).contains("pixel diversity", "--size");
    }

    @Test
    void aMistypedCommandOrOptionIsAnsweredWithTheNearestName() {
        Result command = run("trian", "--max-steps", "5");
        assertThat(command.code()).isEqualTo(2);
        assertThat(command.err().strip()).startsWith("gan4j: error: Unmatched argument").contains("'trian'")
                .contains("(did you mean 'train'?)").doesNotContain("\n");
        // a typo in a required option: the typo is named, not only the option it left out
        Result required = run("sample", "--runn", "runs/x", "-n", "4", "--grid", "g.png");
        assertThat(required.code()).isEqualTo(2);
        assertThat(required.err().strip()).isEqualTo("gan4j: error: Unknown option: '--runn' (did you mean '--run'?)"
                + " (see 'gan4j sample --help')");
        Result missing = run("sample", "-n", "4", "--grid", "g.png");
        assertThat(missing.err().strip()).startsWith("gan4j: error: Missing required option: '--run=DIR'");
        Result option = run("train", "--confg", "x.yaml");
        assertThat(option.code()).isEqualTo(2);
        assertThat(option.err().strip()).contains("'--confg'").contains("did you mean '--config'")
                .doesNotContain("\n");
    }

    @Test
    void portOrBindWithoutDashboardIsRefusedBeforeAnythingIsWritten() {
        Path out = temp.resolve("run");
        Result port = run("train", "--config", "../configs/d2l-gaussian.yaml", "--out", out.toString(), "--max-steps", "3",
                "--port", "9000");
        assertThat(port.code()).isEqualTo(2);
        assertThat(port.err()).startsWith("gan4j: error: --port only applies to --dashboard");
        Result bind = run("train", "--config", "../configs/d2l-gaussian.yaml", "--out", out.toString(), "--max-steps", "3",
                "--bind", "0.0.0.0");
        assertThat(bind.code()).isEqualTo(2);
        assertThat(bind.err()).startsWith("gan4j: error: --bind only applies to --dashboard");
        assertThat(out).doesNotExist();
    }

    /** Every command and subcommand answers -V like the top level: with gan4j's version, not an empty line. */
    @Test
    void everySubcommandPrintsTheVersion() {
        String version = "gan4j " + org.gan4j.training.TrainingRun.VERSION;
        assertThat(run("-V").out().strip()).isEqualTo(version);
        List<List<String>> commands = new java.util.ArrayList<>();
        collectCommands(Main.commandLine(), List.of(), commands);
        assertThat(commands).contains(List.of("train"), List.of("classifier", "train"));
        for (List<String> command : commands) {
            if (command.get(command.size() - 1).equals("help")) {
                continue;
            }
            List<String> args = new java.util.ArrayList<>(command);
            args.add("-V");
            Result result = run(args.toArray(String[]::new));
            assertThat(result.code()).as(String.join(" ", command)).isZero();
            assertThat(result.out().strip()).as(String.join(" ", command) + " -V").isEqualTo(version);
        }
    }

    /**
     * A command's one-line summary in its parent's help (picocli shows the first line of its description) is a
     * whole sentence, not cut off mid-sentence.
     */
    @Test
    void everyCommandSummaryIsACompleteSentence() {
        List<List<String>> commands = new java.util.ArrayList<>();
        collectCommands(Main.commandLine(), List.of(), commands);
        CommandLine root = Main.commandLine();
        for (List<String> command : commands) {
            CommandLine line = root;
            for (String name : command) {
                line = line.getSubcommands().get(name);
            }
            String[] description = line.getCommandSpec().usageMessage().description();
            assertThat(description).as(String.join(" ", command)).isNotEmpty();
            assertThat(description[0]).as(String.join(" ", command) + " summary").endsWith(".");
        }
        assertThat(run("--help").out()).contains("print where results are.", "folder / IDX file of images.");
    }

    private static void collectCommands(CommandLine parent, List<String> path, List<List<String>> commands) {
        for (var entry : parent.getSubcommands().entrySet()) {
            List<String> command = new java.util.ArrayList<>(path);
            command.add(entry.getKey());
            commands.add(command);
            collectCommands(entry.getValue(), command, commands);
        }
    }

    @Test
    void infoPrintsVersions() {
        Result info = run("info");
        assertThat(info.code()).isZero();
        String convolutions = org.gan4j.nn.ConvolutionCheck.problem();
        assertThat(info.out()).contains("convolutions       " + (convolutions == null
                ? "input gradients checked on this CPU: correct" : convolutions + " (docs/RELIABILITY.md)"));
        assertThat(info.out()).contains("djl", "0.35.1", "libtorch", "2.7.1", "threads")
                // the override users are told about first (README, docs/PERFORMANCE.md)
                .containsPattern("threads +[0-9]+ intra-op \\(override: GAN4J_THREADS=N, ");
        assertThat(info.out())
                .containsPattern("adam +fused")
                .containsPattern("cudnn autotuner +on")
                .containsPattern("memory format +channels-last")
                .containsPattern("in-place relu +on")
                .containsPattern("allocator +glibc")
                // this JVM is surefire's, not the launcher's: its collector is named, with the launcher's default
                .containsPattern("java collector +(parallel \\(the launcher's default|(G1|serial) \\(the launcher "
                        + "chooses parallel unless JAVA_OPTS names a collector)")
                // every preset's data: found, or where it is expected and where the recipe is
                .containsPattern("cifar-10 +(not in data/cifar-10-batches-bin \\(configs/dcgan-cifar10.yaml; how to get"
                        + " it: docs/configuration.md\\)|/.*data/cifar-10-batches-bin)")
                .containsPattern("emoji64 +(not in data/emoji64|/.*data/emoji64 \\(configs/dcgan-emoji64.yaml\\))");
        // the launcher's MKL library, when this JVM was started with it (LauncherMklTest runs the launcher)
        String preload = System.getenv("LD_PRELOAD");
        assertThat(info.out())
                .containsPattern(preload != null && preload.contains(InfoCommand.MKL_LIBRARY)
                        ? "mkl code +by instruction set \\(the launcher's libgan4j-mkl-cpu.so"
                        : "mkl code +MKL's own vendor check");
    }

    @Test
    void aWrongAdamPropertyIsAOneLineErrorBeforeTheRunDirectoryExists() {
        assertWrongPropertyStopsTraining("gan4j.adam", "lion", "fused, foreach or per-parameter");
    }

    @Test
    void aWrongMemoryFormatPropertyIsAOneLineErrorBeforeTheRunDirectoryExists() {
        assertWrongPropertyStopsTraining("gan4j.memory_format", "nhwc", "channels-last or contiguous");
    }

    @Test
    void aWrongInPlaceActivationsPropertyIsAOneLineErrorBeforeTheRunDirectoryExists() {
        assertWrongPropertyStopsTraining("gan4j.inplace_activations", "maybe", "true or false");
    }

    /** `gan4j train` with a bad system property: a one-line user error naming it, and no run directory. */
    private void assertWrongPropertyStopsTraining(String property, String value, String expected) {
        Path out = temp.resolve("run");
        System.setProperty(property, value);
        try {
            assertUserError(
                    run("train", "--config", Path.of("..", "configs", "d2l-gaussian.yaml").toString(), "--out",
                            out.toString(), "--max-steps", "2"),
                    property, value, expected);
        } finally {
            System.clearProperty(property);
        }
        assertThat(out).doesNotExist();
    }
}
