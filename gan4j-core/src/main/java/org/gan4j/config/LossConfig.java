package org.gan4j.config;

/**
 * The adversarial objective.
 *
 * @param generator the generator's loss: nonSaturating (−log D(G(z)), default) or minimax (log(1 − D(G(z))))
 * @param realLabel target for real samples in D's loss; below 1 is one-sided label smoothing (e.g. 0.9)
 * @param reduction mean or sum over the batch (d2l's toy uses sum)
 */
public record LossConfig(GeneratorLoss generator, double realLabel, Reduction reduction) {

    /** Generator objectives. */
    public enum GeneratorLoss {
        /** Minimise −log D(G(z)); strong gradients early in training. */
        NON_SATURATING,
        /** Minimise log(1 − D(G(z))), the paper's minimax game; saturates when D wins. */
        MINIMAX
    }

    /** How per-sample losses are combined. */
    public enum Reduction {
        /** Average over the batch. */
        MEAN,
        /** Sum over the batch. */
        SUM
    }
}
