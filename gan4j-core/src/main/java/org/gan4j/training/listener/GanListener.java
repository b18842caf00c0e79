package org.gan4j.training.listener;

import org.gan4j.training.StepResult;
import org.gan4j.training.TrainingContext;

/**
 * Observes training: logging, sample grids, plots, checkpoints and progress each live in one listener, so the
 * training loop never grows a branch per feature (the shape of DJL's {@code TrainingListener}).
 *
 * <p>All methods default to doing nothing: implement only what you need.
 */
public interface GanListener {

    /**
     * Called once before the first step (also when resuming).
     *
     * @param context the run
     */
    default void onTrainingStart(TrainingContext context) {}

    /**
     * Called after every step.
     *
     * @param context the run
     * @param result what the step did
     */
    default void onStep(TrainingContext context, StepResult result) {}

    /**
     * Called once after the last step, also when training stops early on request.
     *
     * @param context the run
     * @param completed whether the configured number of steps was reached
     */
    default void onTrainingEnd(TrainingContext context, boolean completed) {}

    /**
     * Whether this listener needs loss values at the given step; the trainer reads values back only then.
     *
     * @param context the run
     * @param step the step about to run
     * @return true to request measured values
     */
    default boolean wantsValues(TrainingContext context, long step) {
        return false;
    }

    /** The listeners every run directory needs, in the order they run. */
    final class Defaults {

        private Defaults() {}

        /**
         * Returns metrics, samples, plots and checkpoints listeners.
         *
         * @return new listener instances
         */
        public static java.util.List<GanListener> forRunDirectory() {
            return java.util.List.of(
                    new MetricsListener(), new SampleGridListener(), new PlotListener(), new CheckpointListener());
        }
    }
}
