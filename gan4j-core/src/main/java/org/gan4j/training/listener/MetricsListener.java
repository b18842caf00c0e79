package org.gan4j.training.listener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.io.RunInfo;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;

/**
 * Appends one JSON line per logged step to {@code metrics.jsonl}: step, epoch, lossD, lossG, dReal, dFake,
 * dFakeAfter, the step's wall time, its wait for data, and the run's training wall time so far ({@code wallSecs}:
 * summed over the sessions of a resumed run, so the time between a stop and its resume does not count).
 *
 * <p>The steps before the first step of the logging grid are all measured, so that a stop there (Ctrl-C, SIGTERM)
 * logs the stop step's row and the run's metrics and plots are not empty; as for a {@code --max-steps} stop off the
 * grid, a resume drops that row again. When a session ends, the training wall time it reached is recorded in
 * {@code run.json} ({@link RunInfo#TRAINING_TIME_KEY}): a resume from that step continues from it, so the time between
 * the last row and the stop counts.
 */
public final class MetricsListener implements GanListener {

    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(MetricsListener.class);

    private MetricsLog log;
    /** {@link System#nanoTime()} when this process started training the run, or -1 before. */
    private long sessionStart = -1;
    /** Training wall time of the earlier sessions when this session started (see {@link #earlierWallSeconds}). */
    private double earlierSeconds;
    /** The last measured step that was not logged, or null: a stop at it logs it at the end of the session. */
    private StepResult unlogged;

    /** {@inheritDoc} */
    @Override
    public void onTrainingStart(TrainingContext context) {
        // a segment that ended in a divergence rollback never reached onTrainingEnd: its rows are discarded anyway
        log = MetricsLog.closeQuietly(log);
        if (sessionStart < 0) {
            // a later segment of the same session (after a divergence rollback) keeps counting: that time was spent
            earlierSeconds = earlierWallSeconds(context);
            sessionStart = System.nanoTime();
        }
        unlogged = null;
        log = MetricsLog.open(context.runDirectory().metrics());
    }

    /**
     * The training wall time a resumed run had reached at the step it resumes from: what run.json records for a
     * session that ended at that step, or else the {@code wallSecs} of the last row kept (0 for a new run or rows
     * from before the field), whichever is larger.
     */
    private static double earlierWallSeconds(TrainingContext context) {
        long step = context.trainer().step();
        if (step == 0) {
            return 0;
        }
        double kept = 0;
        List<MetricsRow> rows = context.rowsAtStart();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Double wall = rows.get(i).values().get("wallSecs");
            if (wall != null && Double.isFinite(wall) && wall >= 0) {
                kept = wall;
                break;
            }
        }
        Path runJson = context.runDirectory().runJson();
        double recorded = Files.exists(runJson) ? RunInfo.trainingTimeAt(RunInfo.read(runJson), step).orElse(0) : 0;
        return Math.max(kept, recorded);
    }

    /** The run's training wall time now, summed over its sessions. */
    private double wallSeconds() {
        return earlierSeconds + (System.nanoTime() - sessionStart) / 1e9;
    }

    /** {@inheritDoc} */
    @Override
    public boolean wantsValues(TrainingContext context, long step) {
        // every step before the grid's first is measured: a stop there has a row to log
        return isLogStep(context, step) || step < context.config().output().logEvery();
    }

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingContext context, StepResult result) {
        if (!result.measured()) {
            unlogged = null;
            return;
        }
        if (!isLogStep(context, result.step())) {
            unlogged = result;
            return;
        }
        unlogged = null;
        append(result);
    }

    private void append(StepResult result) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("epoch", (double) result.epoch());
        values.put("lossD", result.lossD());
        values.put("lossG", result.lossG());
        values.put("dReal", result.dReal());
        values.put("dFake", result.dFake());
        values.put("dFakeAfter", result.dFakeAfter());
        values.put("secs", result.seconds());
        values.put("dataWaitSecs", result.dataWaitSeconds());
        values.put("wallSecs", wallSeconds());
        if (!Double.isNaN(result.gradNormD())) {
            values.put("gradNormD", result.gradNormD());
            values.put("gradNormG", result.gradNormG());
        }
        log.append(MetricsRow.of(result.step(), values));
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(TrainingContext context, boolean completed) {
        if (log != null) {
            if (context.stopReason() != null && unlogged != null && unlogged.step() == context.trainer().step()) {
                // a stop at a measured step off the grid (before the grid's first step) logs that step
                append(unlogged);
            }
            unlogged = null;
            try {
                log.close();
            } catch (java.io.IOException e) {
                throw new org.gan4j.Gan4jException(
                        "cannot close " + context.runDirectory().metrics() + ": " + e.getMessage(), e);
            }
            try {
                RunInfo.recordTrainingTime(context.runDirectory().runJson(), context.trainer().step(), wallSeconds());
            } catch (org.gan4j.Gan4jException e) {
                // a nicety for the next resume and the report: never at the cost of the session's final checkpoint
                LOGGER.warn("the training time is not recorded in run.json: {}", e.getMessage());
            }
        }
    }


    /**
     * Returns whether a step is on the logging grid ({@code output.logEvery}) or is this invocation's last: the
     * steps whose rows are logged (and which the alarms watch, so that a resume replays exactly what they saw).
     *
     * @param context the run
     * @param step the step
     * @return true for a logged step
     */
    static boolean isLogStep(TrainingContext context, long step) {
        return step % context.config().output().logEvery() == 0 || step == context.targetSteps();
    }
}
