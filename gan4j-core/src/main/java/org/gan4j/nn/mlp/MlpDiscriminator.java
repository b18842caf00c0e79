package org.gan4j.nn.mlp;

import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.nn.Activation;

/**
 * A fully connected discriminator (Goodfellow et al. 2014), with optional maxout units (Goodfellow et al. 2013,
 * "Maxout Networks") and PacGAN packing (Lin et al. 2018).
 *
 * <pre>
 *   hᵢ = a(Wᵢ hᵢ₋₁ + bᵢ)                                  (plain units)
 *   hᵢ[u] = max_{j &lt; pieces} (Wᵢ hᵢ₋₁ + bᵢ)[u·pieces + j]   (maxout units)
 *   D(x) = W_out h_H + b_out                              (N, 1), a logit: no sigmoid
 * </pre>
 *
 * <p>h₀ is the input flattened to (N, inputSize·m) when it has more than two axes. {@link #textbook()} is d2l's
 * toy discriminator 2 → 5 → 3 → 1 with tanh.
 */
public final class MlpDiscriminator extends SequentialBlock {

    private final int inputSize;
    private final List<Integer> hidden;
    private final Activation activation;
    private final int maxoutPieces;
    private final int packing;

    private MlpDiscriminator(Builder builder) {
        inputSize = builder.inputSize;
        hidden = List.copyOf(builder.hidden);
        activation = builder.activation;
        maxoutPieces = builder.maxoutPieces;
        packing = builder.packing;
        add(
                LambdaBlock.singleton(
                        x -> x.getShape().dimension() == 2 ? x : x.reshape(x.getShape().get(0), -1), "flatten"));
        for (int units : hidden) {
            if (maxoutPieces > 0) {
                int pieces = maxoutPieces;
                add(Linear.builder().setUnits((long) units * pieces).build());
                add(
                        LambdaBlock.singleton(
                                x -> x.reshape(x.getShape().get(0), units, pieces).max(new int[] {2}), "maxout"));
            } else {
                add(Linear.builder().setUnits(units).build());
                add(activation.block());
            }
        }
        add(Linear.builder().setUnits(1).build());
    }

    /**
     * Returns a builder for a fully connected discriminator.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns d2l's toy discriminator: 2 → 5 → 3 → 1 with tanh.
     *
     * @return the discriminator
     */
    public static MlpDiscriminator textbook() {
        return builder().setInputSize(2).optHidden(List.of(5, 3)).optActivation(Activation.TANH).build();
    }

    /**
     * Returns the number of features of one unpacked sample.
     *
     * @return the input size
     */
    public int getInputSize() {
        return inputSize;
    }

    /**
     * Returns the hidden layer widths (units, before maxout pieces).
     *
     * @return the widths, first to last
     */
    public List<Integer> getHidden() {
        return hidden;
    }

    /**
     * Returns the hidden activation (unused with maxout).
     *
     * @return the activation
     */
    public Activation getActivation() {
        return activation;
    }

    /**
     * Returns the maxout pieces per unit.
     *
     * @return the pieces (0 = plain activation)
     */
    public int getMaxoutPieces() {
        return maxoutPieces;
    }

    /**
     * Returns the PacGAN packing m.
     *
     * @return the packing (1 = none)
     */
    public int getPacking() {
        return packing;
    }

    /** Builds an {@link MlpDiscriminator}: the input size is required. */
    public static final class Builder {

        private int inputSize;
        private List<Integer> hidden = List.of(5, 3);
        private Activation activation = Activation.TANH;
        private int maxoutPieces;
        private int packing = 1;

        private Builder() {}

        /**
         * Sets the number of features of one unpacked sample (required); images count C·H·W.
         *
         * @param inputSize ≥ 1
         * @return this builder
         */
        public Builder setInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        /**
         * Sets the hidden layer widths (default [5, 3], d2l's toy).
         *
         * @param hidden widths, each ≥ 1
         * @return this builder
         */
        public Builder optHidden(List<Integer> hidden) {
            this.hidden = hidden;
            return this;
        }

        /**
         * Sets the activation after each hidden layer (default tanh); ignored with maxout.
         *
         * @param activation the activation
         * @return this builder
         */
        public Builder optActivation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets the maxout pieces per hidden unit (default 0 = plain activation; PacGAN uses 5).
         *
         * @param maxoutPieces ≥ 0
         * @return this builder
         */
        public Builder optMaxoutPieces(int maxoutPieces) {
            this.maxoutPieces = maxoutPieces;
            return this;
        }

        /**
         * Sets the PacGAN packing m (default 1): the input holds m samples, inputSize·m features.
         *
         * @param packing m ≥ 1
         * @return this builder
         */
        public Builder optPacking(int packing) {
            this.packing = packing;
            return this;
        }

        /**
         * Validates the settings and builds the discriminator.
         *
         * @return the discriminator
         * @throws Gan4jException if a size is out of range
         */
        public MlpDiscriminator build() {
            if (inputSize < 1) {
                throw new Gan4jException("MLP discriminator needs input size >= 1, got " + inputSize);
            }
            MlpGenerator.validateHidden("discriminator", hidden);
            if (activation == null) {
                throw new Gan4jException("MLP discriminator activation must be set");
            }
            if (maxoutPieces < 0) {
                throw new Gan4jException("MLP discriminator maxout pieces must be >= 0, got " + maxoutPieces);
            }
            if (packing < 1) {
                throw new Gan4jException("MLP discriminator packing must be >= 1, got " + packing);
            }
            return new MlpDiscriminator(this);
        }
    }
}
