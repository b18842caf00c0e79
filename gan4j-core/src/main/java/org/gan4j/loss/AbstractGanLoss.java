package org.gan4j.loss;

import ai.djl.ndarray.NDArray;
import org.gan4j.config.LossConfig.Reduction;

/** The discriminator objective common to the minimax and non-saturating games. */
abstract class AbstractGanLoss implements GanLoss {

    /** The target for real samples (1, or less for one-sided label smoothing). */
    protected final double realLabel;

    /** How per-sample losses are combined. */
    protected final Reduction reduction;

    AbstractGanLoss(double realLabel, Reduction reduction) {
        if (!(realLabel > 0.5 && realLabel <= 1.0)) {
            throw new IllegalArgumentException("realLabel must be in (0.5, 1], got " + realLabel);
        }
        this.realLabel = realLabel;
        this.reduction = reduction;
    }

    // maximize log D(x) + log(1 − D(G(z)))  ⇔  minimize BCE(D(x), realLabel) + BCE(D(G(z)), 0)

    /** {@inheritDoc} */
    @Override
    public NDArray discriminatorRealLoss(NDArray realLogits) {
        return BinaryCrossEntropy.fromLogits(realLogits, realLabel, reduction);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray discriminatorFakeLoss(NDArray fakeLogits) {
        return BinaryCrossEntropy.fromLogits(fakeLogits, 0, reduction);
    }

    @Override
    public String toString() {
        return name() + "(realLabel=" + realLabel + ", reduction=" + reduction.name().toLowerCase() + ")";
    }
}
