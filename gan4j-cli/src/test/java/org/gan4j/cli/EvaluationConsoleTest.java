package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.evaluation.Verdict;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code gan4j train --eval-every} shows on the console: a line per evaluation with its headline metrics, and at
 * the end of an image run the verdict of its last evaluation, as {@code gan4j evaluate} words it.
 */
class EvaluationConsoleTest {

    @TempDir Path temp;

    @Test
    void headlineNamesTheMetricsAnEvaluationHolds() {
        Map<String, Double> modes = new LinkedHashMap<>();
        modes.put("modesCaptured", 7.0);
        modes.put("modes", 8.0);
        modes.put("highQualityFraction", 0.5372);
        modes.put("reverseKl", 0.623203667425633);
        assertThat(Reports.headline(modes)).isEqualTo("modes 7 of 8, high quality 0.537, reverse KL 0.623");
        // no sample near a mode: undefined, as the modes line at the end of the run says
        modes.put("modesCaptured", 0.0);
        modes.put("highQualityFraction", 0.0);
        modes.put("reverseKl", Double.NaN);
        assertThat(Reports.headline(modes)).isEqualTo("modes 0 of 8, high quality 0.00, reverse KL undefined");
        Map<String, Double> images = new LinkedHashMap<>();
        images.put("fd", 209.18801784818316);
        images.put("kid", 14.226408273456586);
        images.put("kidStandardError", 0.06);
        images.put("precision", 0.61);
        images.put("classesCovered", 10.0);
        images.put("classKl", Double.NaN);
        images.put("dRocAuc", 0.98);
        assertThat(Reports.headline(images))
                .isEqualTo("FD 209.2, KID 14.2, precision 0.610, classes 10, class KL NaN, D's ROC AUC 0.980");
        assertThat(Reports.headline(Map.of("kidStandardError", 1.0))).isEqualTo("(no headline metric; see metrics.jsonl)");
    }

    @Test
    void aPointRunPrintsEachEvaluationAndListsItsBestCheckpoint() {
        Path run = temp.resolve("toy");
        CliTest.Result train = CliTest.run("train", "--config", Path.of("..", "configs", "d2l-gaussian.yaml").toString(),
                "--out", run.toString(), "--no-progress", "--set", "training.steps=100", "--eval-every", "50",
                "--best-by", "fd");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out())
                .containsPattern("\nevaluation at step 50: FD [0-9.]+, mean error [0-9.]+, covariance error [0-9.]+,"
                        + " D's ROC AUC [0-9.]+ \\(best fd so far: checkpoints-best/\\)\n")
                .containsPattern("\nevaluation at step 100: FD ")
                .contains("\n  checkpoints-best/  latest  step-000100\n")
                // a finished run ends with what to do next, every command runnable as printed
                .endsWith("next: gan4j evaluate --run " + run + "  ·  gan4j sample --run " + run
                        + " -n 1000 --csv points.csv  ·  gan4j report " + run + "\n");
    }

    /** A 4-step DCGAN on 32 synthetic images, evaluated every 2 steps by the metrics that need no classifier. */
    private CliTest.Result trainTinyImages(Path run, String... options) throws IOException {
        return trainTinyImagesWith(run, "diversity,d", options);
    }

    /** The tiny DCGAN, evaluated every 2 steps by the given metrics. */
    private CliTest.Result trainTinyImagesWith(Path run, String metrics, String... options) throws IOException {
        Path data = temp.resolve("train-images-idx3-ubyte");
        if (!java.nio.file.Files.exists(data)) {
            CliTest.writeIdx(data, 32, 32);
        }
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--out",
                run.toString(), "--set", "model.latentSize=8", "--set", "model.dcgan.generatorFeatures=4",
                "--set", "model.dcgan.discriminatorFeatures=4", "--set", "training.batchSize=8",
                "--set", "training.steps=4", "--no-progress", "--eval-every", "2", "--eval-samples", "16",
                "--eval-metrics", metrics));
        args.addAll(List.of(options));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void anImageRunEndsWithTheVerdictOfItsLastEvaluation() throws IOException {
        Path run = temp.resolve("images");
        CliTest.Result train = trainTinyImages(run);
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).containsPattern("\nevaluation at step 2: pixel diversity [0-9.]+, D's ROC AUC [0-9.]+\n");
        List<MetricsRow> evaluations = MetricsLog.read(run.resolve("metrics.jsonl")).stream()
                .filter(row -> row.extras().containsKey("eval")).toList();
        assertThat(evaluations).extracting(MetricsRow::step).containsExactly(2L, 4L);
        List<String> verdict = Verdict.of(evaluations.get(1).values());
        assertThat(verdict).isNotEmpty();
        StringBuilder expected = new StringBuilder(
                "verdict of the last evaluation (step 4; rules of thumb, docs/EVALUATION.md):\n");
        verdict.forEach(line -> expected.append("  ").append(line).append('\n'));
        assertThat(train.out()).contains(expected);
    }

    /**
     * On 2-D points the evaluation during training scores D on a fresh draw of the distribution, as gan4j evaluate
     * does (it used the training points D was trained on): the same checkpoint and seed give the same numbers.
     */
    @Test
    void aPointRunsDiscriminatorTestDuringTrainingIsTheOneEvaluateRuns() throws IOException {
        Path run = temp.resolve("ring");
        CliTest.Result train = CliTest.run("train", "--out", run.toString(), "--set", "data.kind=ring", "--set",
                "data.samples=2000", "--set", "model.latentSize=2", "--set", "seed=5", "--set", "training.steps=20",
                "--set", "training.batchSize=50", "--no-progress", "--eval-every", "20", "--eval-metrics", "d",
                "--eval-samples", "400");
        assertThat(train.code()).as(train.err()).isZero();
        MetricsRow during = MetricsLog.read(run.resolve("metrics.jsonl")).stream()
                .filter(row -> row.extras().containsKey("eval")).reduce((first, second) -> second).orElseThrow();
        assertThat(during.step()).isEqualTo(20);
        Path json = temp.resolve("ring-d.json");
        CliTest.Result evaluate = CliTest.run("evaluate", "--run", run.toString(), "--metrics", "d", "-n", "400",
                "--seed", "5", "--out", json.toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        var after = org.gan4j.io.Json.MAPPER.readTree(json.toFile()).path("metrics");
        for (String key : List.of("dAccuracy", "dRealAccuracy", "dFakeAccuracy", "dRocAuc")) {
            assertThat(during.values().get(key)).as(key).isEqualTo(after.path(key).asDouble());
        }
    }

    /**
     * With the classes metric each evaluation row of metrics.jsonl carries the per-class mix as one nested extra (no
     * column per class); the run's end verdict, the report's and a resumed run read such rows, and a resume logs the
     * rows of an uninterrupted run.
     */
    @Test
    void evaluationRowsCarryTheClassMixThatTheirReadersTolerate() throws IOException {
        Path run = temp.resolve("classes");
        CliTest.Result train = trainTinyImagesWith(run, "classes,d", "--best-by", "classKl");
        assertThat(train.code()).as(train.err()).isZero();
        List<MetricsRow> evaluations = MetricsLog.read(run.resolve("metrics.jsonl")).stream()
                .filter(row -> row.extras().containsKey("eval")).toList();
        assertThat(evaluations).extracting(MetricsRow::step).containsExactly(2L, 4L);
        MetricsRow last = evaluations.get(1);
        assertThat(org.gan4j.evaluation.run.RunEvaluator.RESULT_KEYS).containsAll(last.values().keySet());
        org.gan4j.evaluation.ClassMix mix = org.gan4j.evaluation.ClassMix.fromJson(last.extras().get("classMix"));
        assertThat(mix).isNotNull();
        assertThat(mix.names()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                "Shirt", "Sneaker", "Bag", "Ankle boot");
        assertThat(java.util.Arrays.stream(mix.sampleShares()).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        // the end of the run reads the row's mix into the verdict
        StringBuilder expected = new StringBuilder(
                "verdict of the last evaluation (step 4; rules of thumb, docs/EVALUATION.md):\n");
        Verdict.of(last.values(), mix).forEach(line -> expected.append("  ").append(line).append('\n'));
        assertThat(train.out()).contains(expected);
        // the report: the verdict with its class mix line, and no series made of the nested mix
        var data = org.gan4j.report.RunData.read(run, (file, relative) -> relative);
        assertThat(data.at("/evaluation/verdict/classMix").asText()).isEqualTo(mix.summary());
        assertThat(data.at("/evaluation/verdict/lines/0").asText()).isEqualTo(Verdict.of(last.values(), mix).get(0));
        assertThat(data.at("/evaluation/series").fieldNames()).toIterable()
                .allMatch(org.gan4j.evaluation.run.RunEvaluator.RESULT_KEYS::contains);
        assertThat(CliTest.run("report", run.toString(), "--out", temp.resolve("report.html").toString()).code())
                .isZero();

        // stopped at step 3 and resumed: the same evaluation rows, class mix included
        Path resumed = temp.resolve("resumed");
        assertThat(trainTinyImagesWith(resumed, "classes,d", "--best-by", "classKl", "--max-steps", "3").code()).isZero();
        CliTest.Result again = CliTest.run("train", "--resume", resumed.toString(), "--no-progress", "--eval-every",
                "2", "--eval-samples", "16", "--eval-metrics", "classes,d", "--best-by", "classKl");
        assertThat(again.code()).as(again.err()).isZero();
        java.util.function.Function<Path, List<String>> rows = dir -> MetricsLog.read(dir.resolve("metrics.jsonl"))
                .stream().filter(row -> row.extras().containsKey("eval")).map(row -> row.toJson().toString()).toList();
        assertThat(rows.apply(resumed)).isEqualTo(rows.apply(run));
    }

    @Test
    void aVerdictOlderThanTheFinalGeneratorSaysSo() throws IOException {
        // --max-steps 3 off the --eval-every 2 grid: the stop is not evaluated, the last evaluation is step 2's
        Path run = temp.resolve("images");
        CliTest.Result train = trainTinyImages(run, "--max-steps", "3");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("verdict of the last evaluation (step 2, not of the final generator at step 3:"
                + " gan4j evaluate --run " + run + " evaluates it; rules of thumb, docs/EVALUATION.md):\n");
    }
}
