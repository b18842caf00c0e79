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
        Path data = CliTest.writeIdx(temp.resolve("train-images-idx3-ubyte"), 32, 32);
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--out",
                run.toString(), "--set", "model.latentSize=8", "--set", "model.dcgan.generatorFeatures=4",
                "--set", "model.dcgan.discriminatorFeatures=4", "--set", "training.batchSize=8",
                "--set", "training.steps=4", "--no-progress", "--eval-every", "2", "--eval-samples", "16",
                "--eval-metrics", "diversity,d"));
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
