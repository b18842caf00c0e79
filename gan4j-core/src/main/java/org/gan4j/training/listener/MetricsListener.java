package org.gan4j.training.listener;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gan4j.io.MetricsLog;
import org.gan4j.io.MetricsRow;
import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;

/**
 * Appends one JSON line per logged step to {@code metrics.jsonl}: step, epoch, lossD, lossG, dReal, dFake,
 * dFakeAfter, the step's wall time and its wait for data.
 */
public final class MetricsListener implements GanListener {

    private MetricsLog log;

    /** {@inheritDoc} */
    @Override
    public void onTrainingStart(TrainingContext context) {
        closeQuietly();
        log = MetricsLog.open(context.runDirectory().metrics());
    }

    /** {@inheritDoc} */
    @Override
    public boolean wantsValues(TrainingContext context, long step) {
        return isLogStep(context, step);
    }

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingContext context, StepResult result) {
        if (!result.measured() || !isLogStep(context, result.step())) {
            return;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("epoch", (double) result.epoch());
        values.put("lossD", result.lossD());
        values.put("lossG", result.lossG());
        values.put("dReal", result.dReal());
        values.put("dFake", result.dFake());
        values.put("dFakeAfter", result.dFakeAfter());
        values.put("secs", result.seconds());
        values.put("dataWaitSecs", result.dataWaitSeconds());
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
            try {
                log.close();
            } catch (java.io.IOException e) {
                throw new org.gan4j.Gan4jException(
                        "cannot close " + context.runDirectory().metrics() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Closes a log left open by a training segment that ended in a divergence rollback. */
    private void closeQuietly() {
        if (log != null) {
            try {
                log.close();
            } catch (java.io.IOException e) {
                // the stream belonged to a rolled-back segment whose rows are discarded anyway
            }
            log = null;
        }
    }

    private static boolean isLogStep(TrainingContext context, long step) {
        return step % context.config().output().logEvery() == 0 || step == context.targetSteps();
    }
}
