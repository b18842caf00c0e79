package org.gan4j.training;

import org.gan4j.config.RunConfig;
import org.gan4j.data.GanDataset;
import java.nio.file.Files;
import java.util.List;
import org.gan4j.io.CheckpointStore.Checkpoint;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.io.RunDirectory;

/**
 * Everything a listener may look at during a run: the resolved config, the run directory, the trainer, the real
 * data and the fixed noise behind sample grids. Listeners can also ask the run to stop after the current step.
 */
public final class TrainingContext {

    private final RunConfig config;
    private final RunDirectory runDirectory;
    private final GanTrainer trainer;
    private final GanDataset data;
    private final long targetSteps;
    private final float[] fixedNoise;
    private final int fixedCount;
    private final java.util.function.Supplier<Checkpoint> checkpointWriter;
    private volatile String stopReason;
    private volatile long lastCheckpointStep = -1;
    private volatile long evaluatingStep = -1;
    private List<MetricsRow> rowsAtStart;

    TrainingContext(
            RunConfig config,
            RunDirectory runDirectory,
            GanTrainer trainer,
            GanDataset data,
            long targetSteps,
            java.util.function.Supplier<Checkpoint> checkpointWriter) {
        this.checkpointWriter = checkpointWriter;
        this.config = config;
        this.runDirectory = runDirectory;
        this.trainer = trainer;
        this.data = data;
        this.targetSteps = targetSteps;
        this.fixedCount = config.output().sampleCount();
        this.fixedNoise =
                Noise.gaussian(config.seed(), Noise.FIXED, 0, fixedCount * trainer.models().latentSize());
    }

    /**
     * Returns the resolved config.
     *
     * @return the config
     */
    public RunConfig config() {
        return config;
    }

    /**
     * Returns the run directory.
     *
     * @return the run directory
     */
    public RunDirectory runDirectory() {
        return runDirectory;
    }

    /**
     * Returns the trainer.
     *
     * @return the trainer
     */
    public GanTrainer trainer() {
        return trainer;
    }

    /**
     * Returns the real data.
     *
     * @return the dataset
     */
    public GanDataset data() {
        return data;
    }

    /**
     * Returns the step at which this invocation stops (the config's steps, or less with {@code --max-steps}).
     *
     * @return the last step to run
     */
    public long targetSteps() {
        return targetSteps;
    }

    /**
     * Generates the fixed-noise samples shown in grids (inference mode).
     *
     * @return {@link #fixedCount()} samples, row-major
     */
    public float[] fixedSamples() {
        return trainer.sample(fixedNoise, fixedCount);
    }

    /**
     * Returns how many fixed-noise samples a grid shows.
     *
     * @return the count
     */
    public int fixedCount() {
        return fixedCount;
    }

    /**
     * Writes a checkpoint of the current state, unless one was already written at this step.
     *
     * @return the step checkpointed
     */
    public long writeCheckpoint() {
        if (lastCheckpointStep != trainer.step()) {
            checkpointWriter.get();
            lastCheckpointStep = trainer.step();
        }
        return lastCheckpointStep;
    }

    /** Records that a checkpoint of this step exists already (the one the trainer was restored from). */
    void checkpointWrittenAt(long step) {
        lastCheckpointStep = step;
    }

    /**
     * Returns the rows metrics.jsonl held when this training segment started, read once for every listener that
     * continues from them in {@code onTrainingStart} (a resumed run's wall time, alarms and best evaluation), before
     * any of them appends.
     *
     * @return the rows, empty for a new run
     */
    public List<MetricsRow> rowsAtStart() {
        if (rowsAtStart == null) {
            rowsAtStart = Files.exists(runDirectory.metrics()) ? MetricsLog.read(runDirectory.metrics()) : List.of();
        }
        return rowsAtStart;
    }

    /**
     * Marks the evaluation of the current step as running or done ({@link #evaluationAfterCheckpoint}).
     *
     * @param running whether an evaluation of the current step is running
     */
    public void evaluating(boolean running) {
        evaluatingStep = running ? trainer.step() : -1;
    }

    /**
     * Returns the step being evaluated when its checkpoint is already written, or -1: a stop then loses nothing by
     * exiting at once (a resumed run evaluates that step again), instead of waiting for an evaluation that can take
     * minutes.
     *
     * @return the step, or -1
     */
    public long evaluationAfterCheckpoint() {
        long step = evaluatingStep;
        return step >= 0 && step == lastCheckpointStep ? step : -1;
    }

    /**
     * Asks the run to stop after the current step (a checkpoint is still written).
     *
     * @param reason shown to the user
     */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /**
     * Returns why a stop was requested, or null.
     *
     * @return the reason or null
     */
    public String stopReason() {
        return stopReason;
    }
}
