package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.training.listener.EvaluationListener;
import org.gan4j.training.listener.GanListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training's evaluations ({@code --eval-every}) across stops and resumes: a resumed run logs exactly the evaluation
 * rows of an uninterrupted run, once each, and keeps the same best checkpoint.
 */
class EvaluationResumeTest {

    @TempDir Path temp;

    /** d2l's toy GAN, 26 steps: evaluations at 10, 20 and (the last step, off the grid) 26; checkpoints likewise. */
    private RunConfig toy(String... extra) {
        List<String> overrides = new ArrayList<>(List.of(
                "name=toy", "data.kind=gaussian", "model.architecture=mlp", "model.latentSize=2",
                "training.batchSize=8", "training.steps=26", "training.generator.learningRate=0.005",
                "training.discriminator.learningRate=0.05", "output.dir=" + temp.resolve("runs"),
                "output.logEvery=5", "output.sampleEvery=0", "output.plotEvery=0", "output.checkpointEvery=10"));
        overrides.addAll(List.of(extra));
        return ConfigLoader.load(null, overrides);
    }

    private static List<GanListener> withEvaluation(String bestMetric) {
        List<GanListener> list = new ArrayList<>(GanListener.Defaults.forRunDirectory());
        list.add(new EvaluationListener(10, null, 200, bestMetric, null));
        return list;
    }

    private static List<Long> evaluatedSteps(Path run) {
        List<Long> steps = new ArrayList<>();
        for (MetricsRow row : MetricsLog.read(run.resolve("metrics.jsonl"))) {
            if (row.extras().containsKey("eval")) {
                steps.add(row.step());
            }
        }
        return steps;
    }

    /**
     * {@code --resume} of a finished run whose last step is off the evaluation grid: the last step was evaluated when
     * the run finished, and the resume must not log that evaluation a second time.
     */
    @Test
    void resumingAFinishedRunDoesNotEvaluateItsLastStepAgain() throws IOException {
        Path root;
        try (TrainingRun run = TrainingRun.create(toy(), temp.resolve("finished"))) {
            assertThat(run.train(0, withEvaluation(null)).completed()).isTrue();
            root = run.runDirectory().root();
        }
        assertThat(evaluatedSteps(root)).containsExactly(10L, 20L, 26L);
        String before = Files.readString(root.resolve("metrics.jsonl"));
        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.train(0, withEvaluation(null)).completed()).isTrue();
        }
        assertThat(evaluatedSteps(root)).containsExactly(10L, 20L, 26L);
        assertThat(Files.readString(root.resolve("metrics.jsonl"))).isEqualTo(before);
    }

    /**
     * {@code --resume} of a finished run trains nothing, so it leaves the final checkpoint as it is: it was written
     * again (a new manifest), replacing a good checkpoint for nothing (and for a moment none was there).
     */
    @Test
    void resumingAFinishedRunLeavesItsLastCheckpointAlone() throws IOException {
        Path root;
        try (TrainingRun run = TrainingRun.create(toy(), temp.resolve("finished"))) {
            run.train(0, GanListener.Defaults.forRunDirectory());
            root = run.runDirectory().root();
        }
        Path manifest = root.resolve("checkpoints/step-000026/manifest.json");
        String before = Files.readString(manifest);
        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.train(0, GanListener.Defaults.forRunDirectory()).completed()).isTrue();
        }
        assertThat(Files.readString(manifest)).isEqualTo(before);
    }

    /**
     * A kill after a step's evaluation row reached metrics.jsonl but before its best checkpoint was renamed into
     * place (the row is appended first, the checkpoint then takes a few fsyncs): the resume from that step's
     * checkpoint finds the row, so it does not evaluate again, and must still end with the best checkpoint of an
     * uninterrupted run.
     */
    @Test
    void aKillBetweenTheEvaluationRowAndTheBestCheckpointLosesNoBestCheckpoint() throws IOException {
        Path straight;
        try (TrainingRun run = TrainingRun.create(toy(), temp.resolve("straight"))) {
            run.train(0, withEvaluation("fd"));
            straight = run.runDirectory().root();
        }
        Path straightBest = onlyBest(straight);
        long bestStep = Long.parseLong(straightBest.getFileName().toString().substring("step-".length()));
        Path killed;
        try (TrainingRun run = TrainingRun.create(toy(), temp.resolve("killed"))) {
            run.train(bestStep, withEvaluation("fd"));
            killed = run.runDirectory().root();
        }
        assertThat(evaluatedSteps(killed)).contains(bestStep);
        // the state a kill leaves: the row is there, the best checkpoint is not (only a temp folder of its write)
        Path bestFolder = killed.resolve(EvaluationListener.BEST_FOLDER);
        Path best = onlyBest(killed);
        Files.move(best, bestFolder.resolve(".tmp-" + best.getFileName() + "-0123abcd"));
        try (TrainingRun run = TrainingRun.resume(killed)) {
            assertThat(run.resumedFrom()).isEqualTo(bestStep);
            run.train(0, withEvaluation("fd"));
        }
        assertThat(evaluatedSteps(killed)).isEqualTo(evaluatedSteps(straight));
        Path resumedBest = onlyBest(killed);
        assertThat(resumedBest.getFileName()).isEqualTo(straightBest.getFileName());
        assertThat(Files.readAllBytes(resumedBest.resolve("generator.params")))
                .isEqualTo(Files.readAllBytes(straightBest.resolve("generator.params")));
        assertThat(Files.readAllBytes(resumedBest.resolve("discriminator.params")))
                .isEqualTo(Files.readAllBytes(straightBest.resolve("discriminator.params")));
    }

    /** The one best checkpoint folder of a run. */
    private static Path onlyBest(Path run) throws IOException {
        Path folder = run.resolve(EvaluationListener.BEST_FOLDER);
        assertThat(folder).isDirectory();
        try (var entries = Files.list(folder)) {
            List<Path> steps = entries.filter(p -> p.getFileName().toString().startsWith("step-")).toList();
            assertThat(steps).hasSize(1);
            return steps.get(0);
        }
    }

    /**
     * A stop ({@code --max-steps}) at an evaluated step off the {@code output.logEvery} grid: the resume drops the
     * stop's extra training row, which an uninterrupted run does not log, but never the step's evaluation row,
     * which it does (the resume dropped both: without {@code --eval-every} the evaluation was lost, with it the
     * step was evaluated a second time).
     */
    @Test
    void aResumeAtAnEvaluatedStepOffTheLoggingGridKeepsItsEvaluation() throws IOException {
        Path straight;
        try (TrainingRun run = TrainingRun.create(toy("output.logEvery=3"), temp.resolve("straight"))) {
            run.train(0, withEvaluation(null));
            straight = run.runDirectory().root();
        }
        Path stopped;
        try (TrainingRun run = TrainingRun.create(toy("output.logEvery=3"), temp.resolve("stopped"))) {
            run.train(10, withEvaluation(null));
            stopped = run.runDirectory().root();
        }
        String evaluationRow = Files.readAllLines(stopped.resolve("metrics.jsonl")).stream()
                .filter(line -> line.startsWith("{\"step\":10,") && line.contains("\"eval\""))
                .findFirst().orElseThrow();
        // continued without evaluations, one step: the evaluation of step 10 is still there, the stop's row is not
        try (TrainingRun run = TrainingRun.resume(stopped)) {
            run.train(11, GanListener.Defaults.forRunDirectory());
        }
        assertThat(Files.readAllLines(stopped.resolve("metrics.jsonl")))
                .contains(evaluationRow)
                .noneMatch(line -> line.startsWith("{\"step\":10,\"epoch\""));
        assertThat(evaluatedSteps(stopped)).containsExactly(10L);
        // and a run stopped there and resumed with its evaluations ends with the rows of an uninterrupted run
        Path again;
        try (TrainingRun run = TrainingRun.create(toy("output.logEvery=3"), temp.resolve("again"))) {
            run.train(10, withEvaluation(null));
            again = run.runDirectory().root();
        }
        try (TrainingRun run = TrainingRun.resume(again)) {
            run.train(0, withEvaluation(null));
        }
        assertThat(evaluatedSteps(again)).isEqualTo(evaluatedSteps(straight));
        assertThat(MetricsLog.read(again.resolve("metrics.jsonl")).stream().map(MetricsRow::step).toList())
                .isEqualTo(MetricsLog.read(straight.resolve("metrics.jsonl")).stream().map(MetricsRow::step).toList());
    }
}
