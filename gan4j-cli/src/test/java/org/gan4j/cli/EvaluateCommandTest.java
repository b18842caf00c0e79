package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gan4j.evaluation.run.RunEvaluator;
import org.gan4j.io.Json;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    @TempDir Path temp;

    private static final String[] TINY_RING = {
        "--config", "../configs/ring8.yaml", "--set", "data.samples=400", "--set", "model.mlp.generatorHidden=[16]",
        "--set", "model.mlp.discriminatorHidden=[16]", "--set", "training.steps=20", "--set", "output.logEvery=5",
        "--set", "model.packing=2", "--no-progress"
    };

    private Path trainTinyRing(String... extra) {
        Path run = temp.resolve("ring");
        String[] args = Stream.concat(
                        Stream.concat(Stream.of("train"), Stream.of(TINY_RING)),
                        Stream.concat(Stream.of("--out", run.toString()), Stream.of(extra)))
                .toArray(String[]::new);
        CliTest.Result result = CliTest.run(args);
        assertThat(result.code()).as(result.err() + result.out()).isZero();
        return run;
    }

    @Test
    void evaluatesATinyRingRunIntoItsEvalFolder() throws IOException {
        Path run = trainTinyRing();
        CliTest.Result result = CliTest.run("evaluate", "--run", run.toString(), "-n", "200", "--no-cache");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("modesCaptured").contains("highQualityFraction").contains("dRocAuc");
        Path file = run.resolve("eval/eval-step-000020.json");
        JsonNode json = Json.MAPPER.readTree(file.toFile());
        assertThat(json.get("step").asLong()).isEqualTo(20);
        assertThat(json.get("samples").asInt()).isEqualTo(200);
        JsonNode metrics = json.get("metrics");
        assertThat(metrics.get("modes").asInt()).isEqualTo(8);
        assertThat(metrics.get("modesCaptured").asInt()).isBetween(0, 8);
        assertThat(metrics.get("highQualityFraction").asDouble()).isBetween(0.0, 1.0);
        assertThat(metrics.get("dRocAuc").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.has("reference")).isFalse();
        // --best-by is checked against this list before a run starts: it must name every key an evaluation writes
        assertThat(RunEvaluator.RESULT_KEYS).containsAll(() -> metrics.fieldNames());

        // same run, same seed: same numbers
        Path again = temp.resolve("again.json");
        assertThat(CliTest.run("evaluate", "--run", run.toString(), "-n", "200", "--no-cache", "--out", again.toString())
                .code()).isZero();
        assertThat(Json.MAPPER.readTree(again.toFile()).get("metrics")).isEqualTo(metrics);
    }

    @Test
    void printsAPlainLanguageVerdictOnModeCollapse() {
        Path run = trainTinyRing();
        CliTest.Result result = CliTest.run("evaluate", "--run", run.toString(), "-n", "200", "--no-cache");
        assertThat(result.code()).as(result.err()).isZero();
        String out = result.out();
        assertThat(out).contains("verdict (rules of thumb, docs/EVALUATION.md):");
        String verdict = out.substring(out.indexOf("verdict ("));
        // 20 steps of a tiny ring GAN: whatever it captured, the verdict names the modes and D's test in words
        assertThat(verdict).containsPattern("(MODE COLLAPSE|partial mode collapse|no mode collapse|no mode captured)")
                .contains("8 modes").contains("the discriminator (D fixed)");
    }

    /** --real and --real-test on a 2-D run were ignored without a word (the run's points are drawn from its config). */
    @Test
    void realImagesForATwoDimensionalRunAreRefused() throws IOException {
        Path run = trainTinyRing();
        Path images = temp.resolve("images");
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "100", "--real",
                images.toString()), "--real takes images, but " + run + " is a 2-D run (data.kind ring)",
                "drop the option");
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "100", "--real-test",
                images.toString()), "--real-test takes images");
        // --reference too, even a name no classifier has (train --eval-reference already refused a 2-D run)
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "100", "--reference",
                "no-such-classifier"), "--reference applies to image runs, but " + run + " is a 2-D run (data.kind"
                        + " ring), whose metrics need no classifier; drop the option");
        assertThat(evalFiles(run)).isEmpty();
    }

    @Test
    void unknownMetricIsAOneLineUserError() throws java.io.IOException {
        Path run = trainTinyRing();
        CliTest.Result result = CliTest.run("evaluate", "--run", run.toString(), "--metrics", "fd");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("gan4j: error: unknown metric 'fd' for 2-D points");
        // only commas: Java's split gives no names, and until 1 December an evaluation with no metrics was written
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "--metrics", ",,"),
                "metric list ',,' names no metric; expected some of modes,gaussian,d or all");
        assertThat(evalFiles(run)).isEmpty();
    }

    /** Every row but the wall-clock timings, as text, in file order. */
    private static List<String> rowsWithoutTimings(Path run) {
        return MetricsLog.read(run.resolve("metrics.jsonl")).stream().map(row -> {
            com.fasterxml.jackson.databind.node.ObjectNode json = row.toJson();
            json.remove(List.of("secs", "dataWaitSecs", "wallSecs"));
            return json.toString();
        }).toList();
    }

    private static String bestStep(Path run) throws IOException {
        try (Stream<Path> entries = Files.list(run.resolve("checkpoints-best"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step-")).sorted()
                    .reduce((a, b) -> a + "," + b).orElse("none");
        }
    }

    /**
     * A run stopped and resumed with the same evaluation options logs exactly the evaluations, warnings and best
     * checkpoint of an uninterrupted run: a stop off the evaluation grid is not evaluated, the resumed run continues
     * from the best value so far, and an evaluation lost to a stop during it is made when the run resumes.
     */
    @Test
    void resumedEvaluationsEqualAnUninterruptedRunsEvaluations() throws IOException {
        String[] evaluation = {"--eval-every", "4", "--eval-samples", "100", "--best-by", "modesCaptured"};
        List<String> common = new java.util.ArrayList<>(List.of(TINY_RING));
        common.addAll(List.of("--set", "output.logEvery=2", "--set", "output.checkpointEvery=2"));
        common.addAll(List.of(evaluation));
        java.util.function.BiFunction<Path, String[], CliTest.Result> train = (out, extra) -> {
            List<String> args = new java.util.ArrayList<>(List.of("train"));
            args.addAll(common);
            args.addAll(List.of("--out", out.toString()));
            args.addAll(List.of(extra));
            return CliTest.run(args.toArray(String[]::new));
        };
        Path straight = temp.resolve("straight");
        assertThat(train.apply(straight, new String[0]).code()).isZero();

        // stopped at step 10: on the logging grid, off the evaluation grid
        Path stopped = temp.resolve("stopped");
        assertThat(train.apply(stopped, new String[] {"--max-steps", "10"}).code()).isZero();
        assertThat(MetricsLog.read(stopped.resolve("metrics.jsonl")).stream()
                .filter(row -> row.extras().containsKey("eval")).map(MetricsRow::step).toList())
                .containsExactly(4L, 8L);
        List<String> resume = new java.util.ArrayList<>(List.of("train", "--resume", stopped.toString(), "--no-progress"));
        resume.addAll(List.of(evaluation));
        CliTest.Result resumed = CliTest.run(resume.toArray(String[]::new));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(rowsWithoutTimings(stopped)).isEqualTo(rowsWithoutTimings(straight));
        assertThat(bestStep(stopped)).isEqualTo(bestStep(straight));

        // stopped during the evaluation of step 12 (its checkpoint is written first): the resume evaluates it
        Path lost = temp.resolve("lost");
        assertThat(train.apply(lost, new String[] {"--max-steps", "12"}).code()).isZero();
        Path metrics = lost.resolve("metrics.jsonl");
        List<String> lines = Files.readAllLines(metrics);
        int evaluation12 = 0;
        while (!(lines.get(evaluation12).startsWith("{\"step\":12,") && lines.get(evaluation12).contains("\"eval\""))) {
            evaluation12++;
        }
        // the evaluation row and anything after it (its warnings) were never written
        Files.write(metrics, lines.subList(0, evaluation12));
        resume.set(2, lost.toString());
        CliTest.Result again = CliTest.run(resume.toArray(String[]::new));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(rowsWithoutTimings(lost)).isEqualTo(rowsWithoutTimings(straight));
        // the hint of a stopped run repeats its evaluation options
        assertThat(train.apply(temp.resolve("hint"), new String[] {"--max-steps", "6"}).out())
                .contains("continue with: gan4j train --resume " + temp.resolve("hint") + " --eval-every 4")
                .contains("--best-by modesCaptured");
    }

    @Test
    void evaluationListenerWritesRowsAndKeepsTheBestCheckpoint() throws IOException {
        Path run = trainTinyRing("--eval-every", "10", "--eval-samples", "100", "--best-by", "highQualityFraction");
        List<MetricsRow> rows = MetricsLog.read(run.resolve("metrics.jsonl"));
        List<MetricsRow> evaluations = rows.stream().filter(row -> row.value("modesCaptured").isPresent()).toList();
        assertThat(evaluations).extracting(MetricsRow::step).containsExactly(10L, 20L);
        assertThat(evaluations.get(0).value("dAccuracy")).isPresent();
        Path best = run.resolve("checkpoints-best");
        assertThat(best.resolve("latest")).exists();
        long bestStep;
        try (Stream<Path> entries = Files.list(best)) {
            List<Path> steps = entries.filter(p -> p.getFileName().toString().startsWith("step-")).toList();
            assertThat(steps).hasSize(1);
            bestStep = Long.parseLong(steps.get(0).getFileName().toString().substring(5));
        }

        // the kept generator is what --checkpoint best evaluates and samples
        CliTest.Result evaluated = CliTest.run("evaluate", "--run", run.toString(), "--checkpoint", "best", "-n", "100");
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(
                run.resolve(String.format("eval/eval-best-step-%06d.json", bestStep)).toFile());
        assertThat(json.get("checkpoint").asText()).isEqualTo("best");
        assertThat(json.get("step").asLong()).isEqualTo(bestStep);
        Path csv = temp.resolve("best.csv");
        CliTest.Result sampled = CliTest.run("sample", "--run", run.toString(), "--checkpoint", "best", "-n", "10",
                "--csv", csv.toString());
        assertThat(sampled.code()).as(sampled.err()).isZero();
        assertThat(Files.readAllLines(csv)).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void preciseBatchNormChangesSamplesDeterministicallyAndLeavesTrainingAlone() throws IOException {
        Path run = trainTinyRing("--eval-every", "10", "--eval-samples", "100", "--eval-bn-batches", "5");
        Path plain = temp.resolve("plain.csv");
        Path precise = temp.resolve("precise.csv");
        Path preciseAgain = temp.resolve("precise-again.csv");
        assertThat(CliTest.run("sample", "--run", run.toString(), "-n", "50", "--csv", plain.toString()).code()).isZero();
        assertThat(CliTest.run("sample", "--run", run.toString(), "-n", "50", "--bn-batches", "20", "--csv",
                precise.toString()).code()).isZero();
        assertThat(CliTest.run("sample", "--run", run.toString(), "-n", "50", "--bn-batches", "20", "--csv",
                preciseAgain.toString()).code()).isZero();
        assertThat(Files.readAllLines(precise)).isEqualTo(Files.readAllLines(preciseAgain))
                .isNotEqualTo(Files.readAllLines(plain));

        // the evaluations inside training did not change what training did: same seed without them, same generator
        Path other = temp.resolve("ring-no-eval");
        String[] args = Stream.concat(Stream.concat(Stream.of("train"), Stream.of(TINY_RING)),
                Stream.of("--out", other.toString())).toArray(String[]::new);
        assertThat(CliTest.run(args).code()).isZero();
        Path otherPlain = temp.resolve("other-plain.csv");
        assertThat(CliTest.run("sample", "--run", other.toString(), "-n", "50", "--csv", otherPlain.toString()).code())
                .isZero();
        assertThat(Files.readAllLines(otherPlain)).isEqualTo(Files.readAllLines(plain));

        CliTest.Result evaluated = CliTest.run("evaluate", "--run", run.toString(), "-n", "100", "--bn-batches", "20");
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.resolve("eval/eval-step-000020.json").toFile());
        assertThat(json.get("bnBatches").asInt()).isEqualTo(20);

        CliTest.Result negative = CliTest.run("evaluate", "--run", run.toString(), "--bn-batches", "-1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err().strip()).isEqualTo("gan4j: error: --bn-batches must be between 0 and 10000, got -1");
        CliTest.Result alone = CliTest.run("train", "--config", "../configs/ring8.yaml", "--eval-bn-batches", "5",
                "--out", temp.resolve("never").toString());
        assertThat(alone.code()).isEqualTo(2);
        assertThat(alone.err().strip()).isEqualTo("gan4j: error: --eval-bn-batches needs --eval-every N (without it"
                + " the run is not evaluated while it trains)");
    }

    @Test
    void checkpointBestWithoutOneAndAnUnknownChoiceAreOneLineErrors() {
        Path run = trainTinyRing();
        CliTest.Result noBest = CliTest.run("evaluate", "--run", run.toString(), "--checkpoint", "best");
        assertThat(noBest.code()).isEqualTo(2);
        assertThat(noBest.err()).startsWith("gan4j: error: ").contains("has no valid best checkpoint")
                .contains("--best-by");
        CliTest.Result bad = CliTest.run("sample", "--run", run.toString(), "--checkpoint", "newest", "-n", "4", "--csv",
                temp.resolve("x.csv").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo(
                "gan4j: error: --checkpoint: expected a step number, 'latest' or 'best', got 'newest'");
    }

    @Test
    void scoresAnExternalImageFolderAgainstRealImages() throws IOException {
        Path real = CliTest.writeIdx(temp.resolve("real-images-idx3-ubyte"), 40, 40);
        Path folder = Files.createDirectories(temp.resolve("samples"));
        for (int n = 0; n < 24; n++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int value = ((x + n) % 5 == 0 || y == n) ? 255 : x * 9;
                    image.getRaster().setSample(x, y, 0, value);
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("s%02d.png", n)).toFile());
        }
        Path out = temp.resolve("external.json");
        CliTest.Result result = CliTest.run("evaluate", "--images", folder.toString(), "--real", real.toString(),
                "--metrics", "fd,kid,score,pr,dc,classes", "--cache", temp.resolve("cache").toString(), "--out",
                out.toString());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("reference fashion-mnist-v1").contains("fd").contains("kid");
        JsonNode json = Json.MAPPER.readTree(out.toFile());
        assertThat(json.get("samples").asInt()).isEqualTo(24);
        assertThat(json.get("reference").get("sha256").asText())
                .isEqualTo("b475390d0a6e3ae310a470289870a844508e94a5785492048dfc648675bd4779");
        JsonNode metrics = json.get("metrics");
        assertThat(metrics.get("fd").asDouble()).isPositive();
        assertThat(metrics.get("classifierScore").asDouble()).isBetween(1.0, 10.0);
        assertThat(metrics.get("precision").asDouble()).isBetween(0.0, 1.0);
        assertThat(metrics.get("coverage").asDouble()).isBetween(0.0, 1.0);
        assertThat(metrics.get("classesCovered").asInt()).isBetween(1, 10);
        assertThat(RunEvaluator.RESULT_KEYS).containsAll(() -> metrics.fieldNames());
        try (Stream<Path> cached = Files.list(temp.resolve("cache"))) {
            assertThat(cached.count()).isEqualTo(1);
        }
        // a second run reads the cached real features and gives identical numbers
        Path second = temp.resolve("second.json");
        assertThat(CliTest.run("evaluate", "--images", folder.toString(), "--real", real.toString(), "--metrics",
                "fd,kid,score,pr,dc,classes", "--cache", temp.resolve("cache").toString(), "--out", second.toString())
                .code()).isZero();
        assertThat(Json.MAPPER.readTree(second.toFile()).get("metrics")).isEqualTo(metrics);
    }

    /** Too few files to score: the message counts the files (it said "got -n 3", or "-n must be between 2 and …"). */
    @Test
    void tooFewExternalImagesAreCountedInTheMessage() throws IOException {
        Path real = CliTest.writeIdx(temp.resolve("real-images-idx3-ubyte"), 40, 40);
        for (int count : new int[] {1, 3}) {
            Path few = CliTest.writeIdx(temp.resolve("few" + count + "-images-idx3-ubyte"), count, count);
            CliTest.assertUserError(CliTest.run("evaluate", "--images", few.toString(), "--real", real.toString(),
                    "--no-cache"), "--images " + few + " holds " + count + " image" + (count == 1 ? "" : "s")
                    + "; the image metrics need at least 10");
        }
        CliTest.assertUserError(CliTest.run("evaluate", "--images", real.toString(), "--real", real.toString(), "-n",
                "3", "--no-cache"), "image metrics need at least 10 samples, got -n 3");
    }

    /**
     * Files are read in sorted order; a folder with class subfolders then starts with one class. The images are scored
     * in a seeded random order: before, -n 10 of 10 black then 10 white images scored only the black ones (1 class
     * covered), and the classifier score's consecutive splits each held one kind, so it was exactly 1.
     */
    @Test
    void externalImagesAreScoredInRandomOrderNotSortedFileOrder() throws IOException {
        Path real = CliTest.writeIdx(temp.resolve("real-images-idx3-ubyte"), 40, 40);
        Path sorted = temp.resolve("sorted-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(sorted))) {
            out.writeInt(0x00000803);
            out.writeInt(20);
            out.writeInt(28);
            out.writeInt(28);
            for (int n = 0; n < 20; n++) {
                for (int i = 0; i < 28 * 28; i++) {
                    out.writeByte(n < 10 ? 0 : 255);
                }
            }
        }
        String cache = temp.resolve("cache").toString();
        CliTest.Result all = CliTest.run("evaluate", "--images", sorted.toString(), "--real", real.toString(),
                "--metrics", "score,classes", "--cache", cache, "--out", temp.resolve("all.json").toString());
        assertThat(all.code()).as(all.err()).isZero();
        JsonNode metrics = Json.MAPPER.readTree(temp.resolve("all.json").toFile()).get("metrics");
        assertThat(metrics.get("classesCovered").asInt()).as("black and white are told apart").isEqualTo(2);
        assertThat(metrics.get("classifierScore").asDouble()).isGreaterThan(1.05);
        CliTest.Result first = CliTest.run("evaluate", "--images", sorted.toString(), "--real", real.toString(),
                "-n", "10", "--metrics", "classes", "--cache", cache, "--out", temp.resolve("ten.json").toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(Json.MAPPER.readTree(temp.resolve("ten.json").toFile()).get("metrics").get("classesCovered").asInt())
                .isEqualTo(2);
    }

    /** Writes an IDX file of {@code black} black then {@code white} white 28×28 images. */
    private static Path blackAndWhite(Path file, int black, int white) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(0x00000803);
            out.writeInt(black + white);
            out.writeInt(28);
            out.writeInt(28);
            for (int n = 0; n < black + white; n++) {
                for (int i = 0; i < 28 * 28; i++) {
                    out.writeByte(n < black ? 0 : 255);
                }
            }
        }
        return file;
    }

    /**
     * Samples that are all of one kind (black images) against real images half black, half white: the evaluation
     * JSON holds the class mix beside its metrics (the shipped classifier's Fashion-MNIST names, the samples' and the
     * real shares), the console prints it as a line, and the verdict of mode collapse names the missing class and the
     * over-represented one.
     */
    @Test
    void theClassMixAndTheVerdictNameTheClasses() throws IOException {
        Path real = blackAndWhite(temp.resolve("real-images-idx3-ubyte"), 20, 20);
        Path samples = blackAndWhite(temp.resolve("samples-images-idx3-ubyte"), 12, 0);
        Path out = temp.resolve("mix.json");
        CliTest.Result result = CliTest.run("evaluate", "--images", samples.toString(), "--real", real.toString(),
                "--metrics", "classes", "--no-cache", "--out", out.toString());
        assertThat(result.code()).as(result.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(out.toFile());
        assertThat(json.get("metrics").fieldNames()).toIterable()
                .containsExactly("classesCovered", "classKl", "classEntropy");
        JsonNode mix = json.get("classMix");
        assertThat(mix).hasSize(10);
        List<String> names = new java.util.ArrayList<>();
        String black = null;
        String white = null;
        for (JsonNode entry : mix) {
            assertThat(entry.get("label").asInt()).isEqualTo(names.size());
            names.add(entry.get("name").asText());
            if (entry.get("samples").asDouble() == 1.0) {
                black = entry.get("name").asText();
                assertThat(entry.get("real").asDouble()).isEqualTo(0.5);
            } else if (entry.get("real").asDouble() == 0.5) {
                white = entry.get("name").asText();
            }
        }
        assertThat(names).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot");
        assertThat(black).as("all samples in one class: " + mix).isNotNull();
        assertThat(white).as("the white images' class: " + mix).isNotNull();
        assertThat(result.out()).contains("\n  class mix (samples vs real): " + black + " 100 % (50 %), " + white
                + " 0 % (50 %)\n") // the 8 classes on neither side are not part of the mix
                .contains("\n  MODE COLLAPSE: the samples crowd into a few classes, far from the real class mix (class"
                        + " KL 0.69 nats, 0 = same mix; in effect about 1.0 classes); missing: " + white
                        + "; over-represented: " + black + " (100 % of the samples, 50 % of the real images)\n");

        // without the classes metric: no class mix, and the verdict has nothing to name
        Path fd = temp.resolve("fd.json");
        assertThat(CliTest.run("evaluate", "--images", samples.toString(), "--real", real.toString(), "--metrics",
                "fd", "--no-cache", "--out", fd.toString()).code()).isZero();
        assertThat(Json.MAPPER.readTree(fd.toFile()).has("classMix")).isFalse();
    }

    /**
     * The shipped sidecar got class names: an evaluation file written before, whose reference has none, still takes a
     * later evaluation of the same settings (the names change no number), and a later evaluation without the classes
     * metric keeps the earlier class mix.
     */
    @Test
    void classNamesInTheReferenceDoNotSplitAnEvaluationFile() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("eval"));
        com.fasterxml.jackson.databind.node.ObjectNode earlier = Json.MAPPER.createObjectNode();
        earlier.put("step", 4);
        earlier.put("samples", 16);
        earlier.putObject("reference").put("name", "fashion-mnist-v1").put("sha256", "abc");
        earlier.putObject("metrics").put("classKl", 0.7);
        earlier.set("classMix", org.gan4j.evaluation.ClassMix.of(new long[] {3, 1}, new double[] {0.5, 0.5},
                List.of("class 0", "class 1")).toJson());
        Files.writeString(folder.resolve("eval-step-000004.json"), earlier.toString());
        com.fasterxml.jackson.databind.node.ObjectNode later = Json.MAPPER.createObjectNode();
        later.put("step", 4);
        later.put("samples", 16);
        later.putObject("reference").put("name", "fashion-mnist-v1").put("sha256", "abc").putArray("classNames")
                .add("cat").add("dog");
        later.putObject("metrics").put("fd", 12.5);
        EvaluateCommand.EvalFile file = EvaluateCommand.evalFile(folder, "eval-step-000004", later);
        assertThat(file.merged()).isTrue();
        assertThat(file.file()).isEqualTo(folder.resolve("eval-step-000004.json"));
        assertThat(later.get("metrics").toString()).isEqualTo("{\"classKl\":0.7,\"fd\":12.5}");
        assertThat(later.get("classMix")).isEqualTo(earlier.get("classMix"));
        assertThat(later.at("/reference/classNames/0").asText()).isEqualTo("cat");
        // another classifier (other weights) is another setting
        ((com.fasterxml.jackson.databind.node.ObjectNode) later.get("reference")).put("sha256", "def");
        assertThat(EvaluateCommand.evalFile(folder, "eval-step-000004", later).merged()).isFalse();
    }

    /**
     * The shipped sidecar as an evaluation file written before 1 December 2026 recorded it (no classNames, and a
     * command without --class-names) and as it is now: the same weights, so a later evaluation of the same settings
     * adds to that file. Comparing all but classNames kept the two apart (the commands differ), and the later
     * evaluation went into an eval-step-NNNNNN-2.json.
     */
    @Test
    void theShippedSidecarBeforeItsClassNamesDoesNotSplitAnEvaluationFile() throws IOException {
        JsonNode now;
        try (var in = org.gan4j.evaluation.reference.ReferenceClassifier.class
                .getResourceAsStream("/org/gan4j/evaluation/reference/fashion-mnist-v1.json")) {
            now = Json.MAPPER.readTree(in);
        }
        assertThat(now.get("command").asText()).contains(" --class-names ");
        com.fasterxml.jackson.databind.node.ObjectNode before =
                (com.fasterxml.jackson.databind.node.ObjectNode) now.deepCopy();
        before.remove("classNames");
        before.put("command", now.get("command").asText().replaceFirst(" --class-names '[^']*'", ""));
        Path folder = Files.createDirectories(temp.resolve("eval"));
        com.fasterxml.jackson.databind.node.ObjectNode earlier = Json.MAPPER.createObjectNode();
        earlier.put("step", 4);
        earlier.put("samples", 16);
        earlier.set("reference", before);
        earlier.putObject("metrics").put("fd", 12.5);
        Files.writeString(folder.resolve("eval-step-000004.json"), earlier.toString());
        com.fasterxml.jackson.databind.node.ObjectNode later = Json.MAPPER.createObjectNode();
        later.put("step", 4);
        later.put("samples", 16);
        later.set("reference", now.deepCopy());
        later.putObject("metrics").put("classKl", 0.7);
        EvaluateCommand.EvalFile file = EvaluateCommand.evalFile(folder, "eval-step-000004", later);
        assertThat(file.file()).isEqualTo(folder.resolve("eval-step-000004.json"));
        assertThat(file.merged()).isTrue();
        assertThat(later.get("metrics").toString()).isEqualTo("{\"fd\":12.5,\"classKl\":0.7}");
        assertThat(later.at("/reference/command").asText()).contains(" --class-names ");
    }

    /** Writes {@code count} colour 32×32 PNGs: varied ones, or all one colour (a collapsed generator's). */
    static Path colourFolder(Path folder, int count, boolean alike) throws IOException {
        Files.createDirectories(folder);
        for (int n = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    image.setRGB(x, y, alike ? 0x8040c0 : ((x * 8 + n * 13) % 256 << 16) | ((y * 8 + n * 29) % 256 << 8)
                            | (n * 47 % 256));
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("c%02d.png", n)).toFile());
        }
        return folder;
    }

    /** Pixel diversity needs no classifier: two colour folders from elsewhere are compared with it (it was refused). */
    @Test
    void colourFoldersFromElsewhereHaveAPixelDiversity() throws IOException {
        Path real = colourFolder(temp.resolve("real-colour"), 20, false);
        Path varied = colourFolder(temp.resolve("varied"), 20, false);
        Path collapsed = colourFolder(temp.resolve("collapsed"), 20, true);
        CliTest.Result same = CliTest.run("evaluate", "--images", varied.toString(), "--real", real.toString(),
                "--metrics", "diversity", "--size", "32", "--no-cache");
        assertThat(same.code()).as(same.err()).isZero();
        assertThat(same.out()).contains("pixelDiversity");
        CliTest.Result alike = CliTest.run("evaluate", "--images", collapsed.toString(), "--real", real.toString(),
                "--metrics", "diversity", "--no-cache");
        assertThat(alike.code()).as(alike.err()).isZero();
        assertThat(alike.out()).contains("MODE COLLAPSE: the generated images differ from one another far less");
        // the classifier's metrics on colour folders stay a one-line error
        CliTest.assertUserError(CliTest.run("evaluate", "--images", varied.toString(), "--real", real.toString(),
                "--metrics", "fd"), "--images " + varied + " holds colour images");
        CliTest.assertUserError(CliTest.run("evaluate", "--images", varied.toString(), "--real", real.toString(),
                "--metrics", "diversity", "--size", "4"), "--size must be between 8 and 1024, got 4");
        // --size where it does not apply was ignored without a word
        CliTest.assertUserError(CliTest.run("evaluate", "--images", varied.toString(), "--real", real.toString(),
                "--metrics", "fd", "--size", "32"), "--size applies only to --images with --metrics diversity",
                "the classifier's metrics read images at the classifier's size");
        CliTest.assertUserError(CliTest.run("evaluate", "--run", temp.resolve("any-run").toString(), "--size", "32"),
                "--size applies only to --images with --metrics diversity", "a run's images have the run's size");
        // with an IDX file on either side its own shape wins: --size was ignored without a word there too
        Path idx = CliTest.writeIdx(temp.resolve("real-images-idx3-ubyte"), 20, 20);
        CliTest.assertUserError(CliTest.run("evaluate", "--images", varied.toString(), "--real", idx.toString(),
                "--metrics", "diversity", "--size", "32", "--no-cache"), "--size 32 is not used",
                "--real " + idx + " has a shape of its own, [1, 28, 28], which both sides are read at; drop --size");
        CliTest.Result idxShape = CliTest.run("evaluate", "--images", varied.toString(), "--real", idx.toString(),
                "--metrics", "diversity", "--no-cache");
        assertThat(idxShape.code()).as(idxShape.err()).isZero();
        // a run's options with --images, where there is no checkpoint and no generator, were ignored too
        CliTest.assertUserError(CliTest.run("evaluate", "--images", varied.toString(), "--real", real.toString(),
                "--metrics", "diversity", "--bn-batches", "5", "--no-cache"),
                "--bn-batches applies only to --run (it re-estimates a generator's batch-norm statistics)");
        CliTest.assertUserError(CliTest.run("evaluate", "--images", varied.toString(), "--real", real.toString(),
                "--metrics", "diversity", "--checkpoint", "best", "--no-cache"),
                "--checkpoint applies only to --run (it chooses the run's checkpoint to sample)");
        // --real-test with the pixel diversity alone was never read, yet written into the JSON as its "heldOut"
        Path notImages = Files.writeString(temp.resolve("notes.txt"), "not images");
        Path scores = temp.resolve("scores.json");
        CliTest.assertUserError(CliTest.run("evaluate", "--images", varied.toString(), "--real", real.toString(),
                "--metrics", "diversity", "--real-test", notImages.toString(), "--out", scores.toString(), "--no-cache"),
                "--real-test " + notImages + " is not used: --metrics diversity compares --images with --real only"
                        + " (held-out images serve memorisation and parzen); drop --real-test");
        assertThat(scores).doesNotExist();
        CliTest.assertUserError(CliTest.run("evaluate", "--images", varied.toString(), "--real", real.toString(),
                "--metrics", "diversity", "--reference", "no-such-classifier", "--no-cache"), "--reference"
                        + " no-such-classifier is not used: --metrics diversity need no classifier");
    }

    /**
     * A colour image folder has no reference classifier (the shipped one is Fashion-MNIST's, 1×28×28): the image
     * metrics are a one-line error, the discriminator test alone needs no classifier and runs.
     */
    @Test
    void colourFolderRunsTheDiscriminatorTestWithoutAClassifier() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("colour"));
        for (int n = 0; n < 16; n++) {
            BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    image.setRGB(x, y, ((x * 8 + n) << 16) | ((y * 8) << 8) | (n * 15));
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("c%02d.png", n)).toFile());
        }
        String[] train = {
            "train", "--data", folder.toString(), "--set", "data.imageSize=32", "--set", "data.channels=3",
            "--set", "training.batchSize=8", "--set", "model.dcgan.generatorFeatures=4",
            "--set", "model.dcgan.discriminatorFeatures=4", "--set", "training.steps=4", "--set", "output.logEvery=2",
            "--no-progress", "--eval-every", "2", "--eval-samples", "16"
        };
        // training's default set is what applies, as in evaluate: the metrics that need no classifier (it stopped
        // the run with the classifier's shape error)
        Path defaults = temp.resolve("all-metrics");
        CliTest.Result all = CliTest.run(Stream.concat(Stream.of(train), Stream.of("--out", defaults.toString()))
                .toArray(String[]::new));
        assertThat(all.code()).as(all.err() + all.out()).isZero();
        List<MetricsRow> defaultRows = MetricsLog.read(defaults.resolve("metrics.jsonl")).stream()
                .filter(row -> row.extras().containsKey("eval")).toList();
        assertThat(defaultRows).extracting(MetricsRow::step).containsExactly(2L, 4L);
        assertThat(defaultRows.get(1).value("pixelDiversity")).isPresent();
        assertThat(defaultRows.get(1).value("dRocAuc")).isPresent();
        assertThat(defaultRows.get(1).value("fd")).isEmpty();
        Path failed = temp.resolve("fd-named");
        CliTest.Result named0 = CliTest.run(Stream.concat(Stream.of(train),
                        Stream.of("--eval-metrics", "fd", "--out", failed.toString()))
                .toArray(String[]::new));
        // refused before the run directory is created, naming train's option: the first evaluation's start stopped
        // the run, leaving a run directory (a retry with the same --out was told to resume it) and naming --reference
        CliTest.assertUserError(named0, "--eval-metrics fd needs a reference classifier for images of shape [3, 32, 32]",
                "shipped fashion-mnist-v1 scores [1, 28, 28]", "--eval-reference FILE.params", "diversity,d");
        assertThat(failed).doesNotExist();
        CliTest.assertUserError(CliTest.run(Stream.concat(Stream.of(train),
                        Stream.of("--eval-metrics", "classes,d", "--dry-run")).toArray(String[]::new)),
                "--eval-metrics classes needs a reference classifier");

        Path run = temp.resolve("d-only");
        CliTest.Result result = CliTest.run(Stream.concat(Stream.of(train),
                        Stream.of("--eval-metrics", "d", "--out", run.toString()))
                .toArray(String[]::new));
        assertThat(result.code()).as(result.err() + result.out()).isZero();
        List<MetricsRow> rows = MetricsLog.read(run.resolve("metrics.jsonl"));
        List<MetricsRow> evaluations = rows.stream().filter(row -> row.value("dRocAuc").isPresent()).toList();
        assertThat(evaluations).extracting(MetricsRow::step).containsExactly(2L, 4L);
        assertThat(evaluations.get(1).value("dRocAuc").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(evaluations.get(1).value("fd")).isEmpty();

        // evaluate's default set on such a run is what applies: the metrics that need no classifier, with a note
        // saying why; the pixel diversity measures mode collapse there
        CliTest.Result evaluated = CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--no-cache");
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("note: this run's images have shape [3, 32, 32], the reference classifier"
                + " fashion-mnist-v1 scores [1, 28, 28]: only the metrics that need no classifier (diversity, d) apply")
                .contains("pixelDiversity").contains("dRocAuc").doesNotContain("fd ");
        JsonNode diversity = Json.MAPPER.readTree(run.resolve("eval/eval-step-000004.json").toFile());
        assertThat(diversity.at("/metrics/pixelDiversity").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(diversity.get("metricsRequested").toString()).isEqualTo("[\"diversity\",\"d\"]");
        // the default set with --real prints the same note (--metrics diversity,d with --real: below)
        CliTest.Result realDefaults = CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--no-cache",
                "--real", folder.toString(), "--out", temp.resolve("real-defaults.json").toString());
        assertThat(realDefaults.code()).as(realDefaults.err()).isZero();
        assertThat(realDefaults.out()).contains("note: this run's images have shape [3, 32, 32]")
                .contains("pixelDiversity").contains("dRocAuc");
        // a classifier named with --reference that cannot score the run is a one-line error, as train
        // --eval-reference's: it was the note and an evaluation without the metrics it was asked for
        Path explicitFile = temp.resolve("explicit.json");
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--no-cache",
                        "--reference", "fashion-mnist-v1", "--out", explicitFile.toString()),
                "--reference fashion-mnist-v1 scores images of shape [1, 28, 28], this run's images have shape"
                        + " [3, 32, 32]", "--size 32", "--metrics diversity,d");
        assertThat(explicitFile).doesNotExist();
        // named image metrics stay a one-line error
        CliTest.Result named = CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--metrics", "fd,d");
        assertThat(named.code()).isEqualTo(2);
        assertThat(named.err()).contains("reference fashion-mnist-v1 expects [1, 28, 28]");
        // --reference with only the metrics that need no classifier was ignored, even a name no classifier has
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--metrics",
                "diversity,d", "--reference", "no-such-classifier", "--no-cache"), "--reference no-such-classifier is"
                        + " not used: --metrics diversity,d need no classifier (it scores fd, kid, score, pr, dc,"
                        + " classes, memorisation and parzen); drop --reference");
        // other real images for such a run, a colour folder of another size: read like the run's data (3×32×32), not
        // for the grey classifier (they were refused as colour images, naming --metrics diversity,d, already given)
        Path otherReal = writeImages(temp.resolve("other-real"), 12, BufferedImage.TYPE_INT_RGB, true);
        Path withRealFile = temp.resolve("with-real.json");
        CliTest.Result realGiven = CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--metrics",
                "diversity,d", "--real", otherReal.toString(), "--real-test", folder.toString(), "--out",
                withRealFile.toString());
        assertThat(realGiven.code()).as(realGiven.err()).isZero();
        JsonNode withRealJson = Json.MAPPER.readTree(withRealFile.toFile());
        assertThat(withRealJson.at("/metrics/pixelDiversity").asDouble()).isGreaterThan(0.0);
        assertThat(withRealJson.at("/metrics/dRocAuc").isNumber()).isTrue();
        assertThat(withRealJson.get("real").asText()).isEqualTo(otherReal.toAbsolutePath().normalize().toString());
    }

    /** Writes {@code count} 28×28 test images: grey, grey stored as RGB (R = G = B), or colour. */
    private static Path writeImages(Path folder, int count, int type, boolean colour) throws IOException {
        Files.createDirectories(folder);
        for (int n = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(28, 28, type);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int value = ((x + n) % 5 == 0 || y == n) ? 255 : x * 9;
                    if (type == BufferedImage.TYPE_BYTE_GRAY) {
                        image.getRaster().setSample(x, y, 0, value); // setRGB would convert to linear grey
                    } else {
                        image.setRGB(x, y, colour ? (value << 16) | ((255 - value) << 8) | (n * 15)
                                : (value << 16) | (value << 8) | value);
                    }
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("s%02d.png", n)).toFile());
        }
        return folder;
    }

    private static List<String> evalFiles(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("eval"))) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Evaluating a checkpoint again never loses an earlier evaluation: the same settings add their metrics to its
     * file, other settings (sample count, seed, …) get a numbered file of their own; the report reads them all.
     */
    @Test
    void repeatedEvaluationsOfACheckpointKeepEveryResult() throws IOException {
        Path run = trainTinyRing();
        String runArg = run.toString();
        assertThat(CliTest.run("evaluate", "--run", runArg, "-n", "50", "--no-cache").code()).isZero();
        Path first = run.resolve("eval/eval-step-000020.json");
        JsonNode all = Json.MAPPER.readTree(first.toFile());
        assertThat(all.get("metrics").has("dRocAuc")).isTrue();
        // the defaults name only what applies: a ring has modes, not the textbook Gaussian
        assertThat(all.get("metricsRequested").toString()).isEqualTo("[\"modes\",\"d\"]");

        // same settings, fewer metrics: added to the same file, nothing dropped
        CliTest.Result subset = CliTest.run("evaluate", "--run", runArg, "-n", "50", "--metrics", "modes", "--no-cache");
        assertThat(subset.code()).as(subset.err()).isZero();
        JsonNode merged = Json.MAPPER.readTree(first.toFile());
        assertThat(merged.get("metrics")).isEqualTo(all.get("metrics"));
        assertThat(subset.out()).contains("added to the earlier evaluation");
        assertThat(merged.get("created")).isEqualTo(all.get("created"));
        assertThat(merged.has("updated")).isTrue();
        assertThat(merged.get("metricsRequested").toString()).isEqualTo("[\"modes\",\"d\"]");

        assertThat(merged.get("metricsVersion").asInt()).isEqualTo(RunEvaluator.METRICS_VERSION);

        // other settings: a file of their own, the first one untouched
        String before = Files.readString(first);
        assertThat(CliTest.run("evaluate", "--run", runArg, "-n", "60", "--metrics", "modes", "--no-cache").code())
                .isZero();
        assertThat(CliTest.run("evaluate", "--run", runArg, "-n", "50", "--seed", "3", "--metrics", "d", "--no-cache")
                .code()).isZero();
        assertThat(CliTest.run("evaluate", "--run", runArg, "-n", "60", "--metrics", "d", "--no-cache").code())
                .isZero();
        assertThat(Files.readString(first)).isEqualTo(before);
        assertThat(evalFiles(run)).containsExactly(
                "eval-step-000020-2.json", "eval-step-000020-3.json", "eval-step-000020.json");
        JsonNode second = Json.MAPPER.readTree(run.resolve("eval/eval-step-000020-2.json").toFile());
        assertThat(second.get("samples").asInt()).isEqualTo(60);
        assertThat(second.get("metrics").has("modesCaptured")).isTrue();
        assertThat(second.get("metrics").has("dRocAuc")).isTrue();
        JsonNode third = Json.MAPPER.readTree(run.resolve("eval/eval-step-000020-3.json").toFile());
        assertThat(third.get("seed").asLong()).isEqualTo(3);
        assertThat(third.get("metrics").has("modesCaptured")).isFalse();

        // a file that is not an evaluation is skipped, never replaced
        Files.writeString(run.resolve("eval/eval-step-000020-4.json"), "notes");
        assertThat(CliTest.run("evaluate", "--run", runArg, "-n", "70", "--metrics", "modes", "--no-cache").code())
                .isZero();
        assertThat(Files.readString(run.resolve("eval/eval-step-000020-4.json"))).isEqualTo("notes");
        assertThat(run.resolve("eval/eval-step-000020-5.json")).exists();

        // a file from before the metrics' definitions changed (no metricsVersion) never gets new numbers added
        com.fasterxml.jackson.databind.node.ObjectNode old =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(first.toFile());
        old.remove("metricsVersion");
        Json.MAPPER.writeValue(first.toFile(), old);
        String oldText = Files.readString(first);
        CliTest.Result again = CliTest.run("evaluate", "--run", runArg, "-n", "50", "--metrics", "modes", "--no-cache");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("added to the earlier evaluation");
        assertThat(Files.readString(first)).isEqualTo(oldText);
        assertThat(run.resolve("eval/eval-step-000020-6.json")).exists();

        // the report reads every evaluation file
        Path report = temp.resolve("report.html");
        CliTest.Result reported = CliTest.run("report", runArg, "--out", report.toString());
        assertThat(reported.code()).as(reported.err()).isZero();
        assertThat(Files.readString(report)).contains("dRocAuc").contains("modesCaptured");
    }

    /** A metric named with --metrics that cannot be computed is a one-line error before anything is evaluated. */
    @Test
    void requestedMetricsThatCannotBeComputedAreOneLineErrors() throws IOException {
        Path ring = trainTinyRing();
        CliTest.Result gaussian = CliTest.run("evaluate", "--run", ring.toString(), "--metrics", "modes,gaussian");
        assertThat(gaussian.code()).isEqualTo(2);
        assertThat(gaussian.err().strip()).startsWith("gan4j: error: --metrics gaussian needs the textbook Gaussian data")
                .doesNotContain("\n");
        assertThat(gaussian.out()).doesNotContain("evaluation of");
        assertThat(evalFiles(ring)).isEmpty();

        Path toy = temp.resolve("toy");
        CliTest.Result trained = CliTest.run("train", "--config", "../configs/d2l-gaussian.yaml", "--set",
                "training.steps=10", "--set", "model.packing=4", "--no-progress", "--out", toy.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        CliTest.Result modes = CliTest.run("evaluate", "--run", toy.toString(), "--metrics", "modes");
        assertThat(modes.code()).isEqualTo(2);
        assertThat(modes.err().strip()).startsWith("gan4j: error: --metrics modes needs data with known modes");
        CliTest.Result tooFew = CliTest.run("evaluate", "--run", toy.toString(), "--metrics", "d", "-n", "3");
        assertThat(tooFew.code()).isEqualTo(2);
        assertThat(tooFew.err().strip()).isEqualTo("gan4j: error: --metrics d needs at least 4 generated samples (the"
                + " discriminator scores groups of 4), got -n 3");
        // the default metrics hold d too: it failed after sampling, blaming the real points ("has 1000")
        CliTest.Result tooFewForDefaults = CliTest.run("evaluate", "--run", toy.toString(), "-n", "3");
        assertThat(tooFewForDefaults.code()).isEqualTo(2);
        assertThat(tooFewForDefaults.err().strip()).isEqualTo("gan4j: error: -n 3 is too few for the discriminator"
                + " test (d, one of the default metrics): the discriminator scores groups of 4, so it needs at least 4"
                + " generated samples (-n 4 or more, or --metrics without d)");
        assertThat(evalFiles(toy)).isEmpty();

        Path grey = writeImages(temp.resolve("grey"), 16, BufferedImage.TYPE_BYTE_GRAY, false);
        CliTest.Result d = CliTest.run("evaluate", "--images", grey.toString(), "--metrics", "d");
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err().strip()).startsWith("gan4j: error: --metrics d needs a run (--run DIR)");
        Path real = CliTest.writeIdx(temp.resolve("real-images-idx3-ubyte"), 40, 40);
        CliTest.Result memorisation = CliTest.run("evaluate", "--images", grey.toString(), "--real", real.toString(),
                "--metrics", "fd,memorisation,parzen", "--no-cache");
        assertThat(memorisation.code()).isEqualTo(2);
        assertThat(memorisation.err().strip()).isEqualTo("gan4j: error: --metrics memorisation needs held-out real"
                + " images: --real-test PATH (default: the t10k-* file next to a train-* file); there is none for " + real);

        // an image run without a test split: memorisation and Parzen need --real-test, which is then used
        Path run = temp.resolve("grey-run");
        CliTest.Result imageRun = CliTest.run("train", "--data", grey.toString(), "--set", "data.imageSize=28",
                "--set", "data.channels=1", "--set", "training.batchSize=8", "--set", "model.dcgan.generatorFeatures=4",
                "--set", "model.dcgan.discriminatorFeatures=4", "--set", "training.steps=2", "--set", "output.logEvery=1",
                "--no-progress", "--out", run.toString());
        assertThat(imageRun.code()).as(imageRun.err() + imageRun.out()).isZero();
        CliTest.Result parzen = CliTest.run("evaluate", "--run", run.toString(), "--metrics", "parzen", "-n", "10",
                "--no-cache");
        assertThat(parzen.code()).isEqualTo(2);
        assertThat(parzen.err().strip()).startsWith("gan4j: error: --metrics parzen needs held-out real images");
        assertThat(evalFiles(run)).isEmpty();
        CliTest.Result withTest = CliTest.run("evaluate", "--run", run.toString(), "--metrics", "parzen", "-n", "10",
                "--real-test", real.toString(), "--no-cache");
        assertThat(withTest.code()).as(withTest.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.resolve("eval/eval-step-000002.json").toFile());
        assertThat(json.get("metrics").has("parzenLogLikelihood")).isTrue();
        assertThat(json.get("heldOut").asText()).isEqualTo(real.toAbsolutePath().normalize().toString());

        // the default metrics without held-out images: memorisation and Parzen are neither computed nor listed
        CliTest.Result defaults = CliTest.run("evaluate", "--run", run.toString(), "-n", "10", "--no-cache",
                "--out", temp.resolve("defaults.json").toString());
        assertThat(defaults.code()).as(defaults.err()).isZero();
        JsonNode all = Json.MAPPER.readTree(temp.resolve("defaults.json").toFile());
        assertThat(all.get("metricsRequested").toString())
                .isEqualTo("[\"fd\",\"kid\",\"score\",\"pr\",\"dc\",\"classes\",\"diversity\",\"d\"]");
        assertThat(all.get("metrics").has("memorisationRatio")).isFalse();
        assertThat(all.get("metrics").has("fd")).isTrue();
    }

    /**
     * A colour folder against the grey reference classifier is refused, as for a colour run; grey images stored as
     * RGB (as many tools save them) are grey and score exactly like the same images stored as grey.
     */
    @Test
    void colourImagesAreRefusedByTheGreyReferenceGreyStoredAsRgbIsNot() throws IOException {
        Path real = CliTest.writeIdx(temp.resolve("real-images-idx3-ubyte"), 40, 40);
        Path colour = writeImages(temp.resolve("colour"), 12, BufferedImage.TYPE_INT_RGB, true);
        CliTest.Result refused = CliTest.run("evaluate", "--images", colour.toString(), "--real", real.toString(),
                "--metrics", "fd", "--no-cache");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.err()).startsWith("gan4j: error: --images " + colour + " holds colour images")
                .contains("reference fashion-mnist-v1 expects grey images of shape [1, 28, 28]")
                // the way out, for a folder of colour samples: the metric that needs no classifier
                .contains("the metrics that need no classifier run on colour images: --metrics diversity");
        assertThat(refused.out()).doesNotContain("fd");
        CliTest.Result colourReal = CliTest.run("evaluate", "--images", real.toString(), "--real", colour.toString(),
                "--metrics", "fd", "--no-cache");
        assertThat(colourReal.code()).isEqualTo(2);
        assertThat(colourReal.err()).startsWith("gan4j: error: --real " + colour + " holds colour images");

        Path grey = writeImages(temp.resolve("grey"), 12, BufferedImage.TYPE_BYTE_GRAY, false);
        Path greyRgb = writeImages(temp.resolve("grey-rgb"), 12, BufferedImage.TYPE_INT_RGB, false);
        Path greyJson = temp.resolve("grey.json");
        Path greyRgbJson = temp.resolve("grey-rgb.json");
        assertThat(CliTest.run("evaluate", "--images", grey.toString(), "--real", real.toString(), "--metrics", "fd",
                "--no-cache", "--out", greyJson.toString()).code()).isZero();
        CliTest.Result rgb = CliTest.run("evaluate", "--images", greyRgb.toString(), "--real", real.toString(),
                "--metrics", "fd", "--no-cache", "--out", greyRgbJson.toString());
        assertThat(rgb.code()).as(rgb.err()).isZero();
        assertThat(Json.MAPPER.readTree(greyRgbJson.toFile()).get("metrics"))
                .isEqualTo(Json.MAPPER.readTree(greyJson.toFile()).get("metrics"));
    }

    /**
     * A grey run (the reference classifier's shape) against a colour --real folder: the error names no --metrics way
     * out, since with --metrics diversity,d the folder is refused the same way (the advice only helps --images).
     */
    @Test
    void aColourRealFolderForAGreyRunIsRefusedWithoutAnAdviceThatRepeatsTheError() throws IOException {
        Path grey = writeImages(temp.resolve("grey"), 16, BufferedImage.TYPE_BYTE_GRAY, false);
        Path run = temp.resolve("grey-run");
        CliTest.Result trained = CliTest.run("train", "--data", grey.toString(), "--set", "data.imageSize=28", "--set",
                "data.channels=1", "--set", "training.batchSize=8", "--set", "model.dcgan.generatorFeatures=4", "--set",
                "model.dcgan.discriminatorFeatures=4", "--set", "training.steps=2", "--no-progress", "--out",
                run.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        Path colour = writeImages(temp.resolve("colour"), 12, BufferedImage.TYPE_INT_RGB, true);
        for (String metrics : new String[] {"fd", "diversity,d"}) {
            CliTest.Result refused = CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--no-cache",
                    "--metrics", metrics, "--real", colour.toString());
            assertThat(refused.code()).as(metrics).isEqualTo(2);
            assertThat(refused.errLines()).hasSize(1);
            assertThat(refused.err()).as(metrics).startsWith("gan4j: error: --real " + colour + " holds colour images")
                    .doesNotContain("--metrics diversity");
        }
    }

    /** An --out that cannot be written (or the run's eval/ folder) is found before anything is evaluated. */
    @Test
    void unwritableOutputIsFoundBeforeEvaluating() throws IOException {
        Path run = trainTinyRing();
        Path file = Files.writeString(temp.resolve("file.txt"), "x");
        Path underFile = file.resolve("x.json");
        CliTest.Result notFolder = CliTest.run("evaluate", "--run", run.toString(), "-n", "50", "--out", underFile.toString());
        assertThat(notFolder.code()).isEqualTo(2);
        assertThat(notFolder.err().strip()).isEqualTo(
                "gan4j: error: --out " + underFile + " cannot be written: " + file + " is not a folder");
        assertThat(notFolder.out()).doesNotContain("evaluation of");

        CliTest.Result folder = CliTest.run("evaluate", "--run", run.toString(), "--out", temp.toString());
        assertThat(folder.code()).isEqualTo(2);
        assertThat(folder.err().strip()).isEqualTo(
                "gan4j: error: --out " + temp + " is a folder; expected a file name, e.g. scores.json");

        // missing folders are created only when the evaluation is written
        Path nested = temp.resolve("new/deeper/scores.json");
        CliTest.Result failed = CliTest.run("evaluate", "--run", run.toString(), "--metrics", "gaussian", "--out",
                nested.toString());
        assertThat(failed.code()).isEqualTo(2);
        assertThat(temp.resolve("new")).doesNotExist();
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(".gan4j-write-probe"));
        }
        assertThat(CliTest.run("evaluate", "--run", run.toString(), "-n", "50", "--out", nested.toString()).code())
                .isZero();
        assertThat(nested).exists();

        // the run's own eval/ folder
        Path eval = run.resolve("eval");
        Files.delete(eval);
        Files.writeString(eval, "not a folder");
        CliTest.Result noEval = CliTest.run("evaluate", "--run", run.toString(), "-n", "50");
        assertThat(noEval.code()).isEqualTo(2);
        assertThat(noEval.errLines()).hasSize(1);
        assertThat(noEval.err()).startsWith("gan4j: error: output directory " + eval + " cannot be created: " + eval
                + " is a file, not a folder").contains("--out FILE");
        assertThat(noEval.out()).doesNotContain("evaluation of");

        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc");
        CliTest.Result proc = CliTest.run("evaluate", "--run", run.toString(), "-n", "50", "--out", "/proc/x.json");
        assertThat(proc.code()).isEqualTo(2);
        assertThat(proc.err().strip()).startsWith("gan4j: error: --out /proc/x.json cannot be written: ");
        assertThat(proc.out()).doesNotContain("evaluation of");
    }

    /** Writes {@code records} CIFAR-10 binary records (1 label byte, 3072 pixel bytes), pixels offset by {@code base}. */
    static Path cifarBatch(Path file, int records, int base) throws IOException {
        byte[] bytes = new byte[records * 3073];
        for (int r = 0; r < records; r++) {
            bytes[r * 3073] = (byte) (r % 10);
            for (int p = 0; p < 3072; p++) {
                bytes[r * 3073 + 1 + p] = (byte) (base + r * 7 + p / 32);
            }
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /**
     * A CIFAR-10 run on the folder the binary archive unpacks (data_batch_*.bin, test_batch.bin): the discriminator
     * test scores D on test_batch.bin, the held-out split, as it does on Fashion-MNIST's t10k file; and CIFAR .bin
     * files are accepted for --real and --real-test (they were 'not an IDX image file', and the test batch unused: D
     * was scored on the training images it had seen).
     */
    @Test
    void aCifarRunScoresTheDiscriminatorOnTheTestBatch() throws IOException {
        Path batches = temp.resolve("cifar-10-batches-bin");
        cifarBatch(batches.resolve("data_batch_1.bin"), 12, 0);
        Path second = cifarBatch(batches.resolve("data_batch_2.bin"), 12, 40);
        Path testBatch = cifarBatch(batches.resolve("test_batch.bin"), 10, 90);
        Path run = temp.resolve("cifar-run");
        CliTest.Result trained = CliTest.run("train", "--data", batches.toString(), "--set", "training.batchSize=8",
                "--set", "model.dcgan.generatorFeatures=4", "--set", "model.dcgan.discriminatorFeatures=4",
                "--set", "training.steps=2", "--no-progress", "--eval-every", "2", "--eval-metrics", "d",
                "--eval-samples", "16", "--out", run.toString());
        assertThat(trained.code()).as(trained.err() + trained.out()).isZero();

        CliTest.Result evaluated = CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--metrics", "d",
                "--no-cache", "--out", temp.resolve("default.json").toString());
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        JsonNode defaults = Json.MAPPER.readTree(temp.resolve("default.json").toFile());
        assertThat(defaults.path("heldOut").asText())
                .isEqualTo(testBatch.toAbsolutePath().normalize().toString());
        assertThat(defaults.at("/metrics/dRocAuc").isNumber()).isTrue();

        CliTest.Result given = CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--metrics",
                "diversity,d", "--no-cache", "--real", second.toString(), "--real-test", testBatch.toString(), "--out",
                temp.resolve("given.json").toString());
        assertThat(given.code()).as(given.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(temp.resolve("given.json").toFile());
        assertThat(json.path("real").asText()).isEqualTo(second.toAbsolutePath().normalize().toString());
        assertThat(json.path("heldOut").asText()).isEqualTo(testBatch.toAbsolutePath().normalize().toString());
        assertThat(json.at("/metrics/pixelDiversity").asDouble()).isGreaterThan(0.0);

        // the batches' folder as --real-test means its test batch, not the training batches read from it
        CliTest.Result folder = CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--metrics", "d",
                "--no-cache", "--real-test", batches.toString(), "--out", temp.resolve("folder.json").toString());
        assertThat(folder.code()).as(folder.err()).isZero();
        assertThat(Json.MAPPER.readTree(temp.resolve("folder.json").toFile()).path("heldOut").asText())
                .isEqualTo(testBatch.toAbsolutePath().normalize().toString());

        // a folder of training batches without a test batch: its data_batch_*.bin are not held-out images (they were
        // read as such without a word)
        Path copy = temp.resolve("copy/cifar-10-batches-bin");
        cifarBatch(copy.resolve("data_batch_1.bin"), 12, 0);
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "16", "--metrics", "d",
                "--no-cache", "--real-test", copy.toString(), "--out", temp.resolve("copy.json").toString()),
                "--real-test " + copy + " holds CIFAR training batches (data_batch_*.bin, train.bin) but no test"
                        + " batch (test_batch.bin, test.bin)");
        assertThat(temp.resolve("copy.json")).doesNotExist();
    }

    /**
     * An output option naming a file gan4j wrote in a run replaced it: sample --csv RUN/run.json turned the run into
     * a CSV file ('not valid JSON' for every later command), evaluate --out RUN/metrics.jsonl replaced the training
     * log. Each is now a one-line error and the file stays as it was.
     */
    @Test
    void outputOptionsNeverReplaceTheRunsOwnFiles() throws IOException {
        Path run = trainTinyRing();
        byte[] runJson = Files.readAllBytes(run.resolve("run.json"));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
        Path state = run.resolve("checkpoints/step-000020/state.json");
        byte[] stateBytes = Files.readAllBytes(state);

        CliTest.assertUserError(CliTest.run("sample", "--run", run.toString(), "-n", "3", "--csv",
                run.resolve("run.json").toString()), "--csv", "would replace run.json, which gan4j wrote in run");
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "100", "--metrics", "d",
                "--out", run.resolve("metrics.jsonl").toString()), "--out", "would replace metrics.jsonl");
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "100", "--metrics", "d",
                "--out", state.toString()), "would replace checkpoints/step-000020/state.json");
        CliTest.assertUserError(CliTest.run("report", run.toString(), "--out", run.resolve("run.json").toString()),
                "would replace run.json");
        assertThat(Files.readAllBytes(run.resolve("run.json"))).isEqualTo(runJson);
        assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
        assertThat(Files.readAllBytes(state)).isEqualTo(stateBytes);

        // a file of the user's own in the run directory is written, and replaced, as before
        Path mine = run.resolve("points.csv");
        assertThat(CliTest.run("sample", "--run", run.toString(), "-n", "3", "--csv", mine.toString()).code()).isZero();
        assertThat(CliTest.run("sample", "--run", run.toString(), "-n", "3", "--csv", mine.toString()).code()).isZero();
    }

    /**
     * Samples from elsewhere against CIFAR-10's binary batches: --real cifar-10-batches-bin was 'holds no images',
     * --real data_batch_1.bin 'not an IDX image file'. The pixel diversity reads both at CIFAR's 3×32×32; the
     * classifier's metrics say why they cannot score colour CIFAR data.
     */
    @Test
    void samplesFromElsewhereAreComparedWithCifarBatches() throws IOException {
        Path batches = temp.resolve("cifar-10-batches-bin");
        Path batch = cifarBatch(batches.resolve("data_batch_1.bin"), 12, 0);
        Path samples = colourFolder(temp.resolve("samples"), 12, false);
        for (Path real : List.of(batches, batch)) {
            CliTest.Result result = CliTest.run("evaluate", "--images", samples.toString(), "--real", real.toString(),
                    "--metrics", "diversity", "--no-cache", "--out", temp.resolve("d.json").toString());
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.out()).contains("pixelDiversity");
        }
        Path grey = writeImages(temp.resolve("grey"), 12, BufferedImage.TYPE_BYTE_GRAY, false);
        CliTest.assertUserError(CliTest.run("evaluate", "--images", grey.toString(), "--real", batches.toString(),
                "--metrics", "fd"), "--real " + batches + " is CIFAR data (colour, 3×32×32)", "--metrics diversity");
    }
}
