package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gan4j train --eval-reference}: a colour run's periodic evaluations in the feature space of a classifier of
 * its own shape (made by {@code gan4j classifier train}), recorded in run.json so that a resume and {@code gan4j
 * evaluate --run} keep it, and named in every evaluation row.
 */
class TrainEvalReferenceTest {

    @TempDir Path temp;

    /** Trains a 1-epoch CIFAR-10 classifier of the tiny batches; another seed gives other weights. */
    private Path classifier(Path batches, String name, int seed) {
        CliTest.Result result = CliTest.run("classifier", "train", "--data", batches.toString(), "--epochs", "1",
                "--batch-size", "8", "--threads", "1", "--seed", Integer.toString(seed), "--name", name, "--out",
                temp.resolve("classifiers").toString());
        assertThat(result.code()).as(result.err()).isZero();
        return temp.resolve("classifiers").resolve(name + ".params");
    }

    private static CliTest.Result train(Path batches, Path run, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--data", batches.toString(), "--set",
                "training.batchSize=8", "--set", "model.dcgan.generatorFeatures=4", "--set",
                "model.dcgan.discriminatorFeatures=4", "--set", "training.steps=4", "--no-progress", "--out",
                run.toString()));
        args.addAll(List.of(options));
        return CliTest.run(args.toArray(new String[0]));
    }

    /** A tiny grey DCGAN run (24 IDX images) of {@code steps} steps, stopped at step 2 after its evaluation there. */
    private Path tinyGreyRunEvaluatedAtStep2(Path run, int steps) throws IOException {
        Path idx = CliTest.writeIdx(Files.createDirectories(temp.resolve("idx")).resolve("train-images-idx3-ubyte"),
                24, 24);
        CliTest.Result result = CliTest.run("train", "--data", idx.toString(), "--set", "training.batchSize=8",
                "--set", "model.dcgan.generatorFeatures=4", "--set", "model.dcgan.discriminatorFeatures=4", "--set",
                "training.steps=" + steps, "--max-steps", "2", "--no-progress", "--eval-every", "2", "--eval-samples",
                "12", "--eval-metrics", "fd", "--out", run.toString());
        assertThat(result.code()).as(result.err() + result.out()).isZero();
        return run;
    }

    /** A grey 1×28×28 classifier (not the shipped one) made from a labelled folder of two classes. */
    private Path greyClassifier() throws IOException {
        Path folder = temp.resolve("grey-classes");
        EvaluateCommandTest.colourFolder(folder.resolve("a"), 6, true);
        EvaluateCommandTest.colourFolder(folder.resolve("b"), 6, false);
        CliTest.Result result = CliTest.run("classifier", "train", "--data", folder.toString(), "--test",
                folder.toString(), "--size", "28", "--channels", "1", "--epochs", "1", "--threads", "1", "--name",
                "grey-v1", "--out", temp.resolve("classifiers").toString());
        assertThat(result.code()).as(result.err()).isZero();
        return temp.resolve("classifiers/grey-v1.params");
    }

    private static List<JsonNode> evaluationRows(Path run) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode row = Json.MAPPER.readTree(line);
            if (row.has("eval")) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void aCifarRunsEvaluationsUseItsColourClassifierAcrossAResume() throws IOException {
        Path batches = ClassifierCommandTest.cifarBatches(temp);
        Path params = classifier(batches, "cifar-tiny-v1", 1);
        String sha256 = Json.MAPPER.readTree(temp.resolve("classifiers/cifar-tiny-v1.json").toFile())
                .get("sha256").asText();
        Path run = temp.resolve("cifar-run");
        CliTest.Result first = train(batches, run, "--max-steps", "2", "--eval-every", "2", "--eval-samples", "12",
                "--eval-reference", params.toString());
        assertThat(first.code()).as(first.err() + first.out()).isZero();
        JsonNode recorded = Json.MAPPER.readTree(run.resolve("run.json").toFile()).get("evalReference");
        assertThat(recorded.get("reference").asText()).isEqualTo(params.toAbsolutePath().normalize().toString());
        assertThat(recorded.get("sha256").asText()).isEqualTo(sha256);
        assertThat(recorded.get("imageShape").toString()).isEqualTo("[3,32,32]");
        List<JsonNode> rows = evaluationRows(run);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("fd").isNumber()).as(rows.get(0).toString()).isTrue();
        assertThat(rows.get(0).get("kid").isNumber()).isTrue();
        assertThat(rows.get(0).get("reference").asText()).isEqualTo("cifar-tiny-v1");
        assertThat(rows.get(0).get("referenceSha256").asText()).isEqualTo(sha256);

        // another classifier on resume is refused, run.json and metrics.jsonl stay as they were
        Path other = classifier(batches, "cifar-tiny-v2", 2);
        byte[] runJson = Files.readAllBytes(run.resolve("run.json"));
        CliTest.Result switched = CliTest.run("train", "--resume", run.toString(), "--no-progress", "--eval-every", "2",
                "--eval-samples", "12", "--eval-reference", other.toString());
        CliTest.assertUserError(switched, "--eval-reference " + other, "is not the classifier of this run's evaluations",
                "recorded in run.json", "leave --eval-reference out");
        assertThat(Files.readAllBytes(run.resolve("run.json"))).isEqualTo(runJson);
        assertThat(evaluationRows(run)).hasSize(1);

        // without --eval-reference the resume goes on with the recorded classifier
        CliTest.Result resumed = CliTest.run("train", "--resume", run.toString(), "--no-progress", "--eval-every", "2",
                "--eval-samples", "12");
        assertThat(resumed.code()).as(resumed.err() + resumed.out()).isZero();
        rows = evaluationRows(run);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("step").asLong()).isEqualTo(4);
        assertThat(rows.get(1).get("fd").isNumber()).isTrue();
        assertThat(rows.get(1).get("referenceSha256").asText()).isEqualTo(sha256);

        // gan4j evaluate --run takes the recorded classifier too, unless --reference names another
        Path out = temp.resolve("eval.json");
        CliTest.Result evaluated = CliTest.run("evaluate", "--run", run.toString(), "-n", "12", "--no-cache", "--out",
                out.toString());
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("reference classifier " + params.toAbsolutePath().normalize());
        JsonNode result = Json.MAPPER.readTree(out.toFile());
        assertThat(result.at("/reference/sha256").asText()).isEqualTo(sha256);
        assertThat(result.at("/metrics/fd").isNumber()).isTrue();
        // the same checkpoint, seed and sample count give the training row's numbers exactly (the images fed to the
        // classifier are the same, in the same [-1, 1] range, against the same real features)
        long seed = Json.MAPPER.readTree(run.resolve("run.json").toFile()).at("/config/seed").asLong(-1);
        assertThat(seed).as("config seed in run.json").isNotNegative();
        Path same = temp.resolve("same.json");
        CliTest.Result again = CliTest.run("evaluate", "--run", run.toString(), "--checkpoint", "4", "-n", "12",
                "--seed", Long.toString(seed), "--no-cache", "--out", same.toString());
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode sameMetrics = Json.MAPPER.readTree(same.toFile()).get("metrics");
        for (String metric : new String[] {"fd", "kid", "precision", "recall", "coverage", "classKl",
                "memorisationRatio", "pixelDiversity"}) {
            assertThat(sameMetrics.get(metric).asDouble()).as(metric).isEqualTo(rows.get(1).get(metric).asDouble());
        }
        CliTest.Result named = CliTest.run("evaluate", "--run", run.toString(), "-n", "12", "--no-cache", "--reference",
                other.toString(), "--out", temp.resolve("other.json").toString());
        assertThat(named.code()).as(named.err()).isZero();
        assertThat(Json.MAPPER.readTree(temp.resolve("other.json").toFile()).at("/reference/name").asText())
                .isEqualTo("cifar-tiny-v2");

        // the recorded classifier retrained in place (other weights, its sidecar matching them), then gone: a resume
        // that would use it says so in one line
        Files.copy(other, params, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(temp.resolve("classifiers/cifar-tiny-v2.json"), temp.resolve("classifiers/cifar-tiny-v1.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliTest.assertUserError(CliTest.run("train", "--resume", run.toString(), "--no-progress", "--eval-every", "2",
                "--eval-samples", "12"), "records the reference classifier " + params.toAbsolutePath().normalize(),
                "now holds other weights", "put the recorded classifier back");
        // gan4j evaluate --run said it used the recorded classifier and scored with the new weights: numbers that do
        // not compare with the run's rows. It refuses too, naming --reference for an evaluation with the new weights
        CliTest.Result retrained = CliTest.run("evaluate", "--run", run.toString(), "-n", "12", "--no-cache", "--out",
                temp.resolve("retrained.json").toString());
        CliTest.assertUserError(retrained, "records the reference classifier " + params.toAbsolutePath().normalize(),
                "now holds other weights", "--reference");
        assertThat(temp.resolve("retrained.json")).doesNotExist();
        CliTest.Result chosen = CliTest.run("evaluate", "--run", run.toString(), "-n", "12", "--no-cache",
                "--reference", params.toString(), "--out", temp.resolve("chosen.json").toString());
        assertThat(chosen.code()).as(chosen.err()).isZero();
        Files.delete(params);
        CliTest.assertUserError(CliTest.run("train", "--resume", run.toString(), "--no-progress", "--eval-every", "2",
                "--eval-samples", "12"), "records the reference classifier", "cannot be used now");
        CliTest.assertUserError(CliTest.run("evaluate", "--run", run.toString(), "-n", "12", "--no-cache", "--out",
                temp.resolve("gone.json").toString()), "records the reference classifier", "cannot be used now",
                "--reference");
        // the metrics that need no classifier do not need it either
        CliTest.Result classifierFree = CliTest.run("evaluate", "--run", run.toString(), "-n", "12", "--no-cache",
                "--metrics", "diversity,d", "--out", temp.resolve("free.json").toString());
        assertThat(classifierFree.code()).as(classifierFree.err()).isZero();
        assertThat(Json.MAPPER.readTree(temp.resolve("free.json").toFile()).at("/metrics/pixelDiversity").isNumber())
                .isTrue();
        assertThat(evaluationRows(run)).hasSize(2);
    }

    /** A classifier of another shape, or one the run's earlier evaluations did not use: one line, nothing trained. */
    @Test
    void aClassifierThatCannotScoreTheRunIsRefusedBeforeTraining() throws IOException {
        Path batches = ClassifierCommandTest.cifarBatches(temp);
        Path run = temp.resolve("grey-reference");
        CliTest.Result grey = train(batches, run, "--eval-every", "2", "--eval-samples", "12", "--eval-reference",
                "fashion-mnist-v1");
        CliTest.assertUserError(grey, "--eval-reference fashion-mnist-v1 (fashion-mnist-v1) scores images of shape"
                + " [1, 28, 28], this run's images have shape [3, 32, 32]", "gan4j classifier train");
        assertThat(run).doesNotExist();

        // the dry run refuses it as the run would
        CliTest.assertUserError(train(batches, run, "--dry-run", "--eval-every", "2", "--eval-samples", "12",
                "--eval-reference", "fashion-mnist-v1"), "scores images of shape [1, 28, 28], this run's images have"
                + " shape [3, 32, 32]");

        Path missing = temp.resolve("nowhere/none-v1.params");
        CliTest.assertUserError(train(batches, run, "--eval-every", "2", "--eval-reference", missing.toString()),
                "--eval-reference " + missing, "does not exist");
        assertThat(run).doesNotExist();

        // a run whose evaluations so far computed classifier metrics with the shipped classifier cannot switch to
        // another one on resume (a grey 1×28×28 one made from a labelled folder); a copy of the same weights is the
        // same yardstick (the rows record its SHA-256), and is recorded from then on
        Path idxRun = tinyGreyRunEvaluatedAtStep2(temp.resolve("idx-run"), 4);
        assertThat(evaluationRows(idxRun).get(0).get("reference").asText()).isEqualTo("fashion-mnist-v1");

        Path greyParams = greyClassifier();
        CliTest.Result late = CliTest.run("train", "--resume", idxRun.toString(), "--no-progress", "--eval-every", "2",
                "--eval-samples", "12", "--eval-metrics", "fd", "--eval-reference", greyParams.toString());
        CliTest.assertUserError(late, "--eval-reference " + greyParams, "so far (metrics.jsonl, step 2) used the"
                + " reference classifier fashion-mnist-v1", "mix two yardsticks");
        assertThat(Json.MAPPER.readTree(idxRun.resolve("run.json").toFile()).has("evalReference")).isFalse();

        Path shippedCopy = Files.createDirectories(temp.resolve("copy")).resolve("fashion-mnist-v1.params");
        try (var in = getClass().getResourceAsStream("/org/gan4j/evaluation/reference/fashion-mnist-v1.params");
                var sidecar = getClass().getResourceAsStream("/org/gan4j/evaluation/reference/fashion-mnist-v1.json")) {
            Files.copy(in, shippedCopy);
            Files.copy(sidecar, temp.resolve("copy/fashion-mnist-v1.json"));
        }
        CliTest.Result same = CliTest.run("train", "--resume", idxRun.toString(), "--no-progress", "--eval-every", "2",
                "--eval-samples", "12", "--eval-metrics", "fd", "--eval-reference", shippedCopy.toString());
        assertThat(same.code()).as(same.err() + same.out()).isZero();
        assertThat(Json.MAPPER.readTree(idxRun.resolve("run.json").toFile()).at("/evalReference/reference").asText())
                .isEqualTo(shippedCopy.toAbsolutePath().normalize().toString());
        assertThat(evaluationRows(idxRun)).hasSize(2);
    }

    /**
     * Evaluation rows written before --eval-reference existed name no classifier, and their classifier metrics can only
     * have come from the shipped one: giving that very classifier (a copy of its weights, or its name) on resume was
     * refused as 'another yardstick'. It is the same SHA-256 and is now taken; another classifier is still refused.
     */
    @Test
    void aRunFromBeforeEvalReferenceMayNameTheShippedClassifierOnResume() throws IOException {
        Path run = tinyGreyRunEvaluatedAtStep2(temp.resolve("old-run"), 6);
        // as an earlier gan4j wrote them: no reference, referenceSha256 in the rows
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            com.fasterxml.jackson.databind.node.ObjectNode row =
                    (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(line);
            row.remove(List.of("reference", "referenceSha256"));
            lines.add(Json.MAPPER.writeValueAsString(row));
        }
        Files.write(run.resolve("metrics.jsonl"), lines);
        assertThat(evaluationRows(run).get(0).has("fd")).isTrue();
        assertThat(evaluationRows(run).get(0).has("referenceSha256")).isFalse();

        Path greyParams = greyClassifier();
        CliTest.assertUserError(CliTest.run("train", "--resume", run.toString(), "--no-progress", "--eval-every", "2",
                "--eval-samples", "12", "--eval-metrics", "fd", "--eval-reference", greyParams.toString()),
                "--eval-reference " + greyParams, "used the shipped fashion-mnist-v1", "mix two yardsticks");

        CliTest.Result named = CliTest.run("train", "--resume", run.toString(), "--max-steps", "4", "--no-progress",
                "--eval-every", "2", "--eval-samples", "12", "--eval-metrics", "fd", "--eval-reference",
                "fashion-mnist-v1");
        assertThat(named.code()).as(named.err() + named.out()).isZero();
        assertThat(Json.MAPPER.readTree(run.resolve("run.json").toFile()).at("/evalReference/name").asText())
                .isEqualTo("fashion-mnist-v1");
        assertThat(evaluationRows(run)).hasSize(2);
    }

    /**
     * A labelled colour folder (class subfolders): a classifier made from it at the run's size scores the folder run's
     * evaluations with every image metric, the class histogram included; without it they are only the metrics that
     * need no classifier.
     */
    @Test
    void aColourFolderRunsEvaluationsUseAFolderClassifier() throws IOException {
        Path photos = temp.resolve("photos");
        EvaluateCommandTest.colourFolder(photos.resolve("plain"), 8, true);
        EvaluateCommandTest.colourFolder(photos.resolve("varied"), 8, false);
        Path held = temp.resolve("held-out");
        EvaluateCommandTest.colourFolder(held.resolve("plain"), 4, true);
        EvaluateCommandTest.colourFolder(held.resolve("varied"), 4, false);
        CliTest.Result made = CliTest.run("classifier", "train", "--data", photos.toString(), "--test", held.toString(),
                "--size", "32", "--epochs", "1", "--threads", "1", "--name", "photos-v1", "--out",
                temp.resolve("classifiers").toString());
        assertThat(made.code()).as(made.err()).isZero();
        Path params = temp.resolve("classifiers/photos-v1.params");

        List<String> args = List.of("train", "--data", photos.toString(), "--set", "data.imageSize=32", "--set",
                "data.channels=3", "--set", "training.batchSize=8", "--set", "model.dcgan.generatorFeatures=4", "--set",
                "model.dcgan.discriminatorFeatures=4", "--set", "training.steps=2", "--no-progress", "--eval-every", "2",
                "--eval-samples", "12");
        Path run = temp.resolve("folder-run");
        List<String> withReference = new ArrayList<>(args);
        withReference.addAll(List.of("--eval-reference", params.toString(), "--out", run.toString()));
        CliTest.Result trained = CliTest.run(withReference.toArray(new String[0]));
        assertThat(trained.code()).as(trained.err() + trained.out()).isZero();
        JsonNode row = evaluationRows(run).get(0);
        for (String metric : new String[] {"fd", "kid", "precision", "coverage", "classesCovered", "pixelDiversity"}) {
            assertThat(row.get(metric)).as(metric + " in " + row).isNotNull();
        }
        assertThat(row.get("reference").asText()).isEqualTo("photos-v1");

        Path plain = temp.resolve("folder-run-shipped");
        List<String> without = new ArrayList<>(args);
        without.addAll(List.of("--out", plain.toString()));
        CliTest.Result shipped = CliTest.run(without.toArray(new String[0]));
        assertThat(shipped.code()).as(shipped.err() + shipped.out()).isZero();
        JsonNode plainRow = evaluationRows(plain).get(0);
        assertThat(plainRow.has("fd")).isFalse();
        assertThat(plainRow.has("reference")).isFalse();
        assertThat(plainRow.get("pixelDiversity")).isNotNull();
    }
}
