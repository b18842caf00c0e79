package org.gan4j.config;

/**
 * How long and how to train.
 *
 * <p>One step is {@code dSteps} discriminator updates (each on a fresh real batch) followed by {@code gSteps}
 * generator updates: 1/1 is the usual alternation, k/1 the paper's, 1/2 the TensorFlow DCGAN's.
 *
 * @param batchSize samples per batch, real and fake alike
 * @param steps total steps; epochs are derived from it
 * @param dSteps discriminator updates per step
 * @param gSteps generator updates per step
 * @param generator G's Adam settings
 * @param discriminator D's Adam settings
 * @param threads intra-op threads for the engine; 0 = the number of available cores
 * @param onNonFinite what to do when a loss or a weight becomes NaN or infinite
 * @param maxRollbacks how many times {@link NonFinitePolicy#ROLLBACK} may roll back before the run stops
 * @param rollbackLearningRateFactor both learning rates are multiplied by this after each rollback, in (0, 1]
 */
public record TrainingConfig(
        int batchSize,
        long steps,
        int dSteps,
        int gSteps,
        OptimizerConfig generator,
        OptimizerConfig discriminator,
        int threads,
        NonFinitePolicy onNonFinite,
        int maxRollbacks,
        double rollbackLearningRateFactor) {

    /**
     * Creates a training section with the default divergence handling (stop at the first non-finite value).
     *
     * @param batchSize samples per batch
     * @param steps total steps
     * @param dSteps discriminator updates per step
     * @param gSteps generator updates per step
     * @param generator G's Adam settings
     * @param discriminator D's Adam settings
     * @param threads intra-op threads; 0 = all cores
     */
    public TrainingConfig(
            int batchSize,
            long steps,
            int dSteps,
            int gSteps,
            OptimizerConfig generator,
            OptimizerConfig discriminator,
            int threads) {
        this(batchSize, steps, dSteps, gSteps, generator, discriminator, threads, NonFinitePolicy.STOP, 3, 0.5);
    }

    /** What to do when a loss, a D output or a weight becomes NaN or infinite. */
    public enum NonFinitePolicy {
        /** Stop with a one-line error naming the step and the network; the last good checkpoint stays intact. */
        STOP,
        /** Restore the last good checkpoint, lower both learning rates and continue (at most maxRollbacks times). */
        ROLLBACK
    }

    /**
     * Adam settings (Kingma and Ba 2015), with torch.optim.Adam's semantics.
     *
     * @param learningRate step size
     * @param beta1 decay of the first-moment estimate (DCGAN: 0.5)
     * @param beta2 decay of the second-moment estimate
     * @param epsilon added to the root of the second moment
     */
    public record OptimizerConfig(double learningRate, double beta1, double beta2, double epsilon) {}
}
