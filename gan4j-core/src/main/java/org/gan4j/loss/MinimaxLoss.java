package org.gan4j.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.gan4j.config.LossConfig.Reduction;

/**
 * The minimax GAN loss of the paper (Goodfellow et al. 2014, equation 1).
 *
 * <p>G minimises {@code log(1 − D(G(z))) = −softplus(ℓ)}. When D rejects fakes confidently (ℓ ≪ 0) the gradient
 * σ(ℓ) vanishes: the loss saturates, which is why {@link NonSaturatingLoss} is the default.
 */
public final class MinimaxLoss extends AbstractGanLoss {

    /**
     * Creates the loss.
     *
     * @param realLabel target for real samples in D's loss, in (0.5, 1]
     * @param reduction mean or sum over the batch
     */
    public MinimaxLoss(double realLabel, Reduction reduction) {
        super(realLabel, reduction);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray generatorLoss(NDArray fakeLogits) {
        // minimize log(1 − D(G(z))) = −softplus(ℓ)
        return BinaryCrossEntropy.reduce(Activation.softPlus(fakeLogits).neg(), reduction);
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "minimax";
    }
}
