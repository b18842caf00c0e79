package org.gan4j.training;

/**
 * What one training step did. Loss and D-output values are read back from the engine only on measured steps (every
 * {@code output.logEvery} steps), so they are NaN on the others: reading a value costs a host round-trip.
 *
 * @param step the step just completed, counting from 1
 * @param epoch the epoch of the last real batch used (derived: real batches consumed / batches per epoch)
 * @param measured whether the values below were read back
 * @param lossD discriminator loss of the last D update
 * @param lossG generator loss of the last G update
 * @param dReal mean D(x) on the last real batch
 * @param dFake mean D(G(z)) in the last D update, before D's update (d1 in pytorch/examples)
 * @param dFakeAfter mean D(G(z)) in the last G update, after D's update (d2 in pytorch/examples)
 * @param seconds wall time of the step
 * @param dataWaitSeconds time spent waiting for real batches during the step
 * @param gradNormD L2 norm of D's gradient in its last update of the step (before the optimizer step)
 * @param gradNormG L2 norm of G's gradient in its last update of the step
 */
public record StepResult(
        long step,
        long epoch,
        boolean measured,
        double lossD,
        double lossG,
        double dReal,
        double dFake,
        double dFakeAfter,
        double seconds,
        double dataWaitSeconds,
        double gradNormD,
        double gradNormG) {

    /**
     * Creates a result without gradient norms (NaN).
     *
     * @param step the step just completed
     * @param epoch the epoch of the last real batch
     * @param measured whether the values were read back
     * @param lossD discriminator loss
     * @param lossG generator loss
     * @param dReal mean D(x)
     * @param dFake mean D(G(z)) before D's update
     * @param dFakeAfter mean D(G(z)) after D's update
     * @param seconds wall time of the step
     * @param dataWaitSeconds time spent waiting for real batches
     */
    public StepResult(
            long step,
            long epoch,
            boolean measured,
            double lossD,
            double lossG,
            double dReal,
            double dFake,
            double dFakeAfter,
            double seconds,
            double dataWaitSeconds) {
        this(step, epoch, measured, lossD, lossG, dReal, dFake, dFakeAfter, seconds, dataWaitSeconds, Double.NaN,
                Double.NaN);
    }
}
