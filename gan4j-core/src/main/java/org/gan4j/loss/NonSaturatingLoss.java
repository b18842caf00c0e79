package org.gan4j.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.gan4j.config.LossConfig.Reduction;

/**
 * The non-saturating GAN loss (Goodfellow et al. 2014, "Generative Adversarial Nets", section 3).
 *
 * <p>G minimises {@code −log D(G(z)) = softplus(−ℓ)} instead of {@code log(1 − D(G(z)))}: the same fixed point, but
 * strong gradients when D confidently rejects the fakes early in training.
 */
public final class NonSaturatingLoss extends AbstractGanLoss {

    /**
     * Creates the loss.
     *
     * @param realLabel target for real samples in D's loss, in (0.5, 1]
     * @param reduction mean or sum over the batch
     */
    public NonSaturatingLoss(double realLabel, Reduction reduction) {
        super(realLabel, reduction);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray generatorLoss(NDArray fakeLogits) {
        // maximize log D(G(z))  ⇔  minimize softplus(−ℓ); label smoothing never applies to G's targets
        return BinaryCrossEntropy.reduce(Activation.softPlus(fakeLogits.neg()), reduction);
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "nonSaturating";
    }
}
