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
        double dataWaitSeconds) {}
