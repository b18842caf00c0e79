package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.config.ConfigLoader;
import org.gan4j.config.RunConfig;
import org.gan4j.io.CheckpointStore;
import org.gan4j.io.Json;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.training.listener.GanListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Injects a NaN into a network's weights mid-run and checks both divergence policies. */
class DivergenceTest {

    @TempDir Path temp;

    /** Sets the generator's first weight to NaN after the given step, at most {@code times} times. */
    private static final class NanInjector implements GanListener {
        private final long atStep;
        private int remaining;

        NanInjector(long atStep, int times) {
            this.atStep = atStep;
            this.remaining = times;
        }

        @Override
        public void onStep(TrainingContext context, StepResult result) {
            if (result.step() == atStep && remaining > 0) {
                remaining--;
                var weight = context.trainer().models().generator().getParameters().valueAt(0).getArray();
                float[] values = weight.toFloatArray();
                values[0] = Float.NaN;
                weight.set(values);
            }
        }
    }

    private RunConfig config(String... extra) {
        List<String> overrides = new ArrayList<>(List.of(
                "name=nan",
                "model.architecture=mlp",
                "model.latentSize=2",
                "training.batchSize=8",
                "training.steps=20",
                "output.dir=" + temp.resolve("runs"),
                "output.logEvery=1",
                "output.sampleEvery=0",
                "output.plotEvery=0",
                "output.checkpointEvery=5"));
        overrides.addAll(List.of(extra));
        return ConfigLoader.load(null, overrides);
    }

    private static List<GanListener> listeners(NanInjector injector) {
        List<GanListener> listeners = new ArrayList<>(GanListener.Defaults.forRunDirectory());
        listeners.add(injector);
        return listeners;
    }

    @Test
    void stopPolicyNamesStepAndNetworkAndKeepsTheLastGoodCheckpoint() {
        try (TrainingRun run = TrainingRun.create(config(), null)) {
            assertThatThrownBy(() -> run.train(0, listeners(new NanInjector(7, 1))))
                    .isInstanceOf(NonFiniteException.class)
                    .hasMessageStartingWith("generator weights became non-finite at step 8 (lossD=NaN")
                    .hasMessageContaining("step-000005")
                    .hasMessageContaining("training.onNonFinite=rollback")
                    .hasMessageNotContaining("\n");
            CheckpointStore store = new CheckpointStore(run.runDirectory().checkpoints(), 3);
            assertThat(store.latestValid()).hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(5));
            CheckpointStore.verify(store.latestValid().orElseThrow().dir());
        }
    }

    /** Before the first checkpoint, rollback has nothing to return to: the message says what would help instead. */
    @Test
    void stopBeforeAnyCheckpointDoesNotSuggestARollback() {
        try (TrainingRun run = TrainingRun.create(config("output.checkpointEvery=10"), null)) {
            assertThatThrownBy(() -> run.train(0, listeners(new NanInjector(3, 1))))
                    .isInstanceOf(NonFiniteException.class)
                    .hasMessageContaining("the last good checkpoint is none")
                    .hasMessageContaining("output.checkpointEvery")
                    .hasMessageNotContaining("to retry it");
        }
    }

    /**
     * A NaN that enters after the logged step 8 (logEvery 4) meets the unmeasured steps 9 and 10 and is caught by the
     * check before step 10's checkpoint (the steps before the logging grid's first are all measured).
     */
    @Test
    void unmeasuredNanIsCaughtBeforeTheCheckpointIsWritten() {
        try (TrainingRun run = TrainingRun.create(config("output.logEvery=4"), null)) {
            assertThatThrownBy(() -> run.train(0, listeners(new NanInjector(8, 1))))
                    .isInstanceOf(NonFiniteException.class)
                    .hasMessageStartingWith("generator weights became non-finite (NaN or Inf) by step 10")
                    .hasMessageContaining("step-000005");
            assertThat(run.runDirectory().checkpoints().resolve("step-000010")).doesNotExist();
        }
    }

    @Test
    void rollbackRestoresTheLastGoodCheckpointWithLowerLearningRatesAndFinishes() throws Exception {
        try (TrainingRun run = TrainingRun.create(config("training.onNonFinite=rollback"), null)) {
            TrainingRun.Summary summary = run.train(0, listeners(new NanInjector(7, 1)));
            assertThat(summary.completed()).isTrue();
            assertThat(summary.lastStep()).isEqualTo(20);
            assertThat(run.trainer().learningRateScale()).isEqualTo(0.5);
            Path state = run.runDirectory().checkpoints().resolve("step-000020").resolve("state.json");
            assertThat(Json.MAPPER.readTree(state.toFile()).path("learningRateScale").asDouble()).isEqualTo(0.5);
            List<MetricsRow> rows = MetricsLog.read(run.runDirectory().metrics());
            assertThat(rows).extracting(MetricsRow::step).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
            for (MetricsRow row : rows) {
                assertThat(row.value("lossD").orElseThrow()).isFinite();
                assertThat(row.value("gradNormD").orElseThrow()).isFinite().isPositive();
                assertThat(row.value("gradNormG").orElseThrow()).isFinite().isPositive();
            }
        }
        // a resumed run keeps the lowered learning rate
        Path runDirectory = temp.resolve("runs").resolve("nan");
        try (TrainingRun resumed = TrainingRun.resume(runDirectory)) {
            assertThat(resumed.trainer().learningRateScale()).isEqualTo(0.5);
        }
        assertThat(Files.exists(runDirectory)).isTrue();
    }

    @Test
    void rollbacksAreBounded() {
        RunConfig config = config("training.onNonFinite=rollback", "training.maxRollbacks=2");
        try (TrainingRun run = TrainingRun.create(config, null)) {
            assertThatThrownBy(() -> run.train(0, listeners(new NanInjector(7, 10))))
                    .isInstanceOf(NonFiniteException.class)
                    .hasMessageStartingWith("generator weights became non-finite at step 8")
                    .hasMessageContaining("gave up after 2 rollbacks")
                    .hasMessageNotContaining("\n");
            assertThat(run.trainer().learningRateScale()).isEqualTo(0.25);
        }
    }

    /** training.maxRollbacks counts over the run's life: each --resume used to allow that many more. */
    @Test
    void rollbacksAreCountedAcrossResumes() throws Exception {
        RunConfig config = config("training.onNonFinite=rollback", "training.maxRollbacks=2", "training.steps=30");
        try (TrainingRun run = TrainingRun.create(config, null)) {
            TrainingRun.Summary first = run.train(20, listeners(new NanInjector(7, 1)));
            assertThat(first.lastStep()).isEqualTo(20);
            Path state = run.runDirectory().checkpoints().resolve("step-000020").resolve("state.json");
            assertThat(Json.MAPPER.readTree(state.toFile()).path("rollbacks").asInt()).isEqualTo(1);
        }
        Path runDirectory = temp.resolve("runs").resolve("nan");
        try (TrainingRun resumed = TrainingRun.resume(runDirectory)) {
            // one rollback left: the second divergence after the resume stops the run
            assertThatThrownBy(() -> resumed.train(0, listeners(new NanInjector(22, 10))))
                    .isInstanceOf(NonFiniteException.class)
                    .hasMessageContaining("gave up after 2 rollbacks (training.maxRollbacks, counted over the run's"
                            + " resumes; resume with --force --set training.maxRollbacks=N to allow more)");
            assertThat(resumed.trainer().learningRateScale()).isEqualTo(0.25);
        }
    }

    /**
     * A best checkpoint written after the checkpoint a rollback returns to belongs to the abandoned continuation (its
     * evaluation row is truncated away with the rest): the rollback removes it.
     */
    @Test
    void rollbackRemovesABestCheckpointNewerThanItsCheckpoint() {
        Path best = temp.resolve("runs").resolve("nan")
                .resolve(org.gan4j.training.listener.EvaluationListener.BEST_FOLDER);
        GanListener bestAtStep6 = new GanListener() {
            private boolean written;

            @Override
            public void onStep(TrainingContext context, StepResult result) {
                if (result.step() == 6 && !written) {
                    written = true;
                    try {
                        Files.createDirectories(best.resolve("step-000006")); // stand-in for an evaluation's best
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        };
        try (TrainingRun run = TrainingRun.create(config("training.onNonFinite=rollback"), null)) {
            List<GanListener> listeners = listeners(new NanInjector(7, 1));
            listeners.add(bestAtStep6);
            run.train(10, listeners);
        }
        // the rollback to step 5 removed it; the continuation passed step 6 again without the stand-in writing it
        assertThat(best.resolve("step-000006")).doesNotExist();
    }
}
