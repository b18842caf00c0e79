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
 */
public record TrainingConfig(
        int batchSize,
        long steps,
        int dSteps,
        int gSteps,
        OptimizerConfig generator,
        OptimizerConfig discriminator,
        int threads) {

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
