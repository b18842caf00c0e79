package org.gan4j.training.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;
import org.gan4j.training.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation during training, in process: a stop during an evaluation ends it, and the resume evaluates again. */
class EvaluationListenerTest {

    @TempDir Path temp;

    private RunConfig tinyRing() {
        return ConfigLoader.load(null, List.of(
                "name=ring", "data.kind=ring", "model.architecture=mlp", "model.latentSize=2",
                "training.batchSize=8", "training.steps=20", "output.dir=" + temp.resolve("runs"),
                "output.logEvery=5", "output.sampleEvery=0", "output.plotEvery=0", "output.checkpointEvery=5"));
    }

    /** Asks the run to stop at one step, before the listeners after it see that step (as Ctrl-C would, mid-step). */
    private static GanListener stopAt(long step) {
        return new GanListener() {
            @Override
            public void onStep(TrainingContext context, StepResult result) {
                if (result.step() == step) {
                    context.requestStop("test stop");
                }
            }
        };
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

    private static List<GanListener> listeners(GanListener first) {
        List<GanListener> listeners = new ArrayList<>();
        if (first != null) {
            listeners.add(first);
        }
        listeners.addAll(GanListener.Defaults.forRunDirectory());
        listeners.add(new EvaluationListener(10, null, 500, null, null));
        return listeners;
    }

    @Test
    void aStopDuringAnEvaluationEndsItUnloggedAndTheResumeEvaluatesTheStep() {
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyRing(), null)) {
            root = run.runDirectory().root();
            TrainingRun.Summary summary = run.train(0, listeners(stopAt(10)));
            // the stop came before the evaluation of step 10 began: its first cancellation check ended it
            assertThat(summary.stopReason()).isEqualTo("test stop");
            assertThat(summary.lastStep()).isEqualTo(10);
        }
        assertThat(evaluatedSteps(root)).isEmpty();

        try (TrainingRun run = TrainingRun.resume(root)) {
            assertThat(run.resumedFrom()).isEqualTo(10);
            run.train(0, listeners(null));
        }
        // step 10 evaluated at the start of the resume, then 20 as the uninterrupted run does
        assertThat(evaluatedSteps(root)).containsExactly(10L, 20L);
    }

    @Test
    void theStoppedEvaluationsWarningGoesToTheConsoleItIsGiven() {
        // the CLI's live progress bar would draw over a line logged under it (gan4j train shows it between the bar's
        // states, as the alarms' warnings)
        List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TrainingRun run = TrainingRun.create(tinyRing(), null)) {
            List<GanListener> listeners = new ArrayList<>();
            listeners.add(stopAt(10));
            listeners.addAll(GanListener.Defaults.forRunDirectory());
            listeners.add(new EvaluationListener(10, null, 500, null, null).showWarningsWith(shown::add));
            run.train(0, listeners);
        }
        assertThat(shown).containsExactly("the evaluation of step 10 stopped with the run (test stop): gan4j train"
                + " --resume with the same evaluation options evaluates it again");
    }

    @Test
    void withoutAStopTheSameStepsAreEvaluatedInOneGo() {
        Path root;
        try (TrainingRun run = TrainingRun.create(tinyRing(), null)) {
            root = run.runDirectory().root();
            run.train(0, listeners(null));
        }
        assertThat(evaluatedSteps(root)).containsExactly(10L, 20L);
    }

    /** The best generator by each kind of metric; D's accuracy and AUC rank by their distance from chance. */
    @org.junit.jupiter.api.Test
    void betterMeansSmallerLargerOrCloserToChance() {
        org.assertj.core.api.Assertions.assertThat(EvaluationListener.isBetter("fd", 12.0, Double.NaN)).isTrue();
        org.assertj.core.api.Assertions.assertThat(EvaluationListener.isBetter("fd", 12.0, 15.0)).isTrue();
        org.assertj.core.api.Assertions.assertThat(EvaluationListener.isBetter("coverage", 0.5, 0.6)).isFalse();
        org.assertj.core.api.Assertions.assertThat(EvaluationListener.isBetter("coverage", 0.7, 0.6)).isTrue();
        // an AUC of 0.2 tells real from generated as well as 0.8 does: neither beats 0.55
        org.assertj.core.api.Assertions.assertThat(EvaluationListener.isBetter("dRocAuc", 0.2, 0.55)).isFalse();
        org.assertj.core.api.Assertions.assertThat(EvaluationListener.isBetter("dRocAuc", 0.45, 0.8)).isTrue();
        org.assertj.core.api.Assertions.assertThat(EvaluationListener.isBetter("dAccuracy", 0.52, 0.4)).isTrue();
        org.assertj.core.api.Assertions.assertThat(EvaluationListener.isBetter("dAccuracy", 0.3, 0.6)).isFalse();
    }
}
