package org.gan4j.loss;

import ai.djl.ndarray.NDArray;
import org.gan4j.config.LossConfig;

/**
 * The two objectives of a GAN, computed from the discriminator's logits.
 *
 * <p>The discriminator outputs a logit ℓ with D(x) = σ(ℓ). Goodfellow et al. 2014 define the game
 * {@code V(D, G) = E[log D(x)] + E[log(1 − D(G(z)))]}: D maximises V, i.e. minimises the binary cross-entropy with
 * real = 1 and fake = 0; G minimises a generator objective. All formulas are evaluated from logits with softplus,
 * {@code softplus(ℓ) = log(1 + e^ℓ)}, which is finite for every finite logit:
 * {@code −log σ(ℓ) = softplus(−ℓ)} and {@code −log(1 − σ(ℓ)) = softplus(ℓ)}.
 */
public interface GanLoss {

    /**
     * Returns the discriminator's loss, to be minimised: {@code BCE(ℓ_real, y) + BCE(ℓ_fake, 0)}, where y is the real
     * label (1, or less with one-sided label smoothing). With y = 1 this is −V(D, G) estimated on the batch.
     *
     * @param realLogits D's logits on real samples, shape (N, 1)
     * @param fakeLogits D's logits on generated samples, shape (N, 1)
     * @return a scalar
     */
    default NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits) {
        return discriminatorRealLoss(realLogits).add(discriminatorFakeLoss(fakeLogits));
    }

    /**
     * Returns the part of {@link #discriminatorLoss} that depends on the real samples, {@code BCE(ℓ_real, y)}: the
     * trainer back-propagates it before D sees the fakes.
     *
     * @param realLogits D's logits on real samples, shape (N, 1)
     * @return a scalar
     */
    NDArray discriminatorRealLoss(NDArray realLogits);

    /**
     * Returns the part of {@link #discriminatorLoss} that depends on the generated samples, {@code BCE(ℓ_fake, 0)}.
     *
     * @param fakeLogits D's logits on generated samples, shape (N, 1)
     * @return a scalar
     */
    NDArray discriminatorFakeLoss(NDArray fakeLogits);

    /**
     * Returns the generator's loss, to be minimised.
     *
     * @param fakeLogits D's logits on generated samples, shape (N, 1)
     * @return a scalar
     */
    NDArray generatorLoss(NDArray fakeLogits);

    /**
     * Returns the loss's name as written in configs.
     *
     * @return for example {@code nonSaturating}
     */
    String name();

    /**
     * The non-saturating loss: G minimises −log D(G(z)) (Goodfellow et al. 2014, section 3); the default in practice.
     *
     * @return the loss with real label 1 and mean reduction
     */
    static GanLoss nonSaturating() {
        return new NonSaturatingLoss(1.0, LossConfig.Reduction.MEAN);
    }

    /**
     * The minimax loss: G minimises log(1 − D(G(z))), the paper's game, whose gradient vanishes when D wins.
     *
     * @return the loss with real label 1 and mean reduction
     */
    static GanLoss minimax() {
        return new MinimaxLoss(1.0, LossConfig.Reduction.MEAN);
    }

    /**
     * Builds the loss a config asks for.
     *
     * @param config the loss section
     * @return the configured loss
     */
    static GanLoss from(LossConfig config) {
        switch (config.generator()) {
            case MINIMAX:
                return new MinimaxLoss(config.realLabel(), config.reduction());
            case NON_SATURATING:
                return new NonSaturatingLoss(config.realLabel(), config.reduction());
            default:
                throw new IllegalArgumentException("unknown generator loss " + config.generator());
        }
    }
}
