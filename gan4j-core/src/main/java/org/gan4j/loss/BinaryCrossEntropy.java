package org.gan4j.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.gan4j.config.LossConfig.Reduction;

/**
 * Numerically stable binary cross-entropy from logits, shared by the GAN losses.
 *
 * <p>{@code BCE(ℓ, y) = −y log σ(ℓ) − (1 − y) log(1 − σ(ℓ)) = softplus(ℓ) − y·ℓ}.
 */
final class BinaryCrossEntropy {

    private BinaryCrossEntropy() {}

    /**
     * Returns the reduced BCE of the logits against a constant target.
     *
     * @param logits the logits
     * @param target the label y in [0, 1]
     * @param reduction mean or sum over all elements
     * @return a scalar
     */
    static NDArray fromLogits(NDArray logits, double target, Reduction reduction) {
        NDArray perSample = Activation.softPlus(logits);
        if (target == 1) {
            // y·ℓ = ℓ exactly, and so is its gradient: two engine calls fewer than the product below
            perSample = perSample.sub(logits);
        } else if (target != 0) {
            // Not logits.mul((float) target): DJL wraps a number in a temporary array over Java-owned memory (a direct
            // buffer) and closes it right after the product, while autograd keeps that very array for the backward
            // pass. Once the garbage collector frees the buffer, the backward pass reads freed memory: D's gradient
            // turned into garbage (1e17 to 1e36) at random steps, and Adam's second moment overflowed, freezing D for
            // the rest of the run (BinaryCrossEntropyGcTest). libtorch's own full() owns its memory, and the saved
            // reference keeps it alive after the Java handle is closed.
            try (NDArray y = logits.getManager().full(new Shape(), (float) target, logits.getDataType())) {
                perSample = perSample.sub(logits.mul(y));
            }
        }
        return reduce(perSample, reduction);
    }

    /**
     * Reduces per-sample losses.
     *
     * @param perSample the losses
     * @param reduction mean or sum
     * @return a scalar
     */
    static NDArray reduce(NDArray perSample, Reduction reduction) {
        return reduction == Reduction.SUM ? perSample.sum() : perSample.mean();
    }
}
