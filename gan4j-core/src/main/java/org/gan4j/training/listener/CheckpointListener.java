package org.gan4j.training.listener;

import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;

/**
 * Writes a checkpoint every {@code output.checkpointEvery} steps and whenever training ends (completed, stopped by
 * {@code --max-steps}, or interrupted), so {@code --resume} always finds the latest state.
 */
public final class CheckpointListener implements GanListener {

    /** {@inheritDoc} */
    @Override
    public void onStep(TrainingContext context, StepResult result) {
        int every = context.config().output().checkpointEvery();
        if (every > 0 && result.step() % every == 0) {
            context.writeCheckpoint();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(TrainingContext context, boolean completed) {
        if (context.trainer().step() > 0) {
            context.writeCheckpoint();
        }
    }
}
