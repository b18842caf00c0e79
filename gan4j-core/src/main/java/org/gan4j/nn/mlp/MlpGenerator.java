package org.gan4j.nn.mlp;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.nn.Activation;
import org.gan4j.nn.GanModels;

/**
 * A fully connected generator, as in Goodfellow et al. 2014, "Generative Adversarial Nets".
 *
 * <pre>
 *   hᵢ = a(BN?(Wᵢ hᵢ₋₁ + bᵢ)),  h₀ = z,  i = 1 … H
 *   G(z) = a_out(W_out h_H + b_out)
 * </pre>
 *
 * <p>Input (N, latentSize), output (N, outputSize), or (N, outputShape…) when an output shape is set (for
 * image data). {@link #textbook()} is d2l's toy generator, one linear layer ℝ² → ℝ².
 */
public final class MlpGenerator extends SequentialBlock {

    private final int latentSize;
    private final int outputSize;
    private final List<Integer> hidden;
    private final Activation activation;
    private final boolean batchNorm;
    private final Activation outputActivation;

    private MlpGenerator(Builder builder) {
        latentSize = builder.latentSize;
        outputSize = builder.outputSize;
        hidden = List.copyOf(builder.hidden);
        activation = builder.activation;
        batchNorm = builder.batchNorm;
        outputActivation = builder.outputActivation;
        for (int units : hidden) {
            add(Linear.builder().setUnits(units).optBias(!batchNorm).build());
            if (batchNorm) {
                add(BatchNorm.builder().optMomentum(GanModels.BATCH_NORM_MOMENTUM).optEpsilon(1e-5f).build());
            }
            add(activation.block());
        }
        add(Linear.builder().setUnits(outputSize).build());
        if (outputActivation != Activation.IDENTITY) {
            add(outputActivation.block());
        }
        if (builder.outputShape != null) {
            long[] target = builder.outputShape.getShape();
            add(
                    LambdaBlock.singleton(
                            x -> x.reshape(new Shape(x.getShape().get(0)).addAll(new Shape(target))), "to_shape"));
        }
    }

    /**
     * Returns a builder for a fully connected generator.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns d2l's toy generator: one linear layer from z ∈ ℝ² to ℝ², no activation.
     *
     * @return the generator
     */
    public static MlpGenerator textbook() {
        return builder().setLatentSize(2).setOutputSize(2).build();
    }

    /**
     * Returns the latent dimension.
     *
     * @return the latent size
     */
    public int getLatentSize() {
        return latentSize;
    }

    /**
     * Returns the number of generated features per sample.
     *
     * @return the output size
     */
    public int getOutputSize() {
        return outputSize;
    }

    /**
     * Returns the hidden layer widths.
     *
     * @return the widths, first to last
     */
    public List<Integer> getHidden() {
        return hidden;
    }

    /**
     * Returns the hidden activation.
     *
     * @return the activation
     */
    public Activation getActivation() {
        return activation;
    }

    /**
     * Returns whether hidden layers are batch normalized.
     *
     * @return whether there is batch norm
     */
    public boolean isBatchNorm() {
        return batchNorm;
    }

    /**
     * Returns the output activation.
     *
     * @return the output activation
     */
    public Activation getOutputActivation() {
        return outputActivation;
    }

    /** Builds an {@link MlpGenerator}: latent and output size are required. */
    public static final class Builder {

        private int latentSize;
        private int outputSize;
        private List<Integer> hidden = List.of();
        private Activation activation = Activation.RELU;
        private boolean batchNorm;
        private Activation outputActivation = Activation.IDENTITY;
        private Shape outputShape;

        private Builder() {}

        /**
         * Sets the latent dimension (required).
         *
         * @param latentSize ≥ 1
         * @return this builder
         */
        public Builder setLatentSize(int latentSize) {
            this.latentSize = latentSize;
            return this;
        }

        /**
         * Sets the number of generated features per sample (required).
         *
         * @param outputSize ≥ 1
         * @return this builder
         */
        public Builder setOutputSize(int outputSize) {
            this.outputSize = outputSize;
            return this;
        }

        /**
         * Sets the hidden layer widths (default none: one linear layer).
         *
         * @param hidden widths, each ≥ 1
         * @return this builder
         */
        public Builder optHidden(List<Integer> hidden) {
            this.hidden = hidden;
            return this;
        }

        /**
         * Sets the activation after each hidden layer (default ReLU).
         *
         * @param activation the activation
         * @return this builder
         */
        public Builder optActivation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets whether to batch-normalize each hidden layer before its activation (default false); those linear
         * layers then have no bias.
         *
         * @param batchNorm whether to add batch norm
         * @return this builder
         */
        public Builder optBatchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /**
         * Sets the output activation (default identity; tanh suits data in [−1, 1]).
         *
         * @param outputActivation the activation
         * @return this builder
         */
        public Builder optOutputActivation(Activation outputActivation) {
            this.outputActivation = outputActivation;
            return this;
        }

        /**
         * Reshapes each output sample to this shape (default none: (N, outputSize)), e.g. (C, H, W) for images.
         *
         * @param outputShape a shape with outputSize elements
         * @return this builder
         */
        public Builder optOutputShape(Shape outputShape) {
            this.outputShape = outputShape;
            return this;
        }

        /**
         * Validates the settings and builds the generator.
         *
         * @return the generator
         * @throws Gan4jException if a size is below 1 or the output shape does not hold outputSize elements
         */
        public MlpGenerator build() {
            if (latentSize < 1 || outputSize < 1) {
                throw new Gan4jException(
                        "MLP generator needs latent and output size >= 1, got " + latentSize + " and " + outputSize);
            }
            validateHidden("generator", hidden);
            if (activation == null || outputActivation == null) {
                throw new Gan4jException("MLP generator activations must be set");
            }
            if (outputShape != null && outputShape.size() != outputSize) {
                throw new Gan4jException(
                        "MLP generator output shape " + outputShape + " does not hold output size " + outputSize);
            }
            return new MlpGenerator(this);
        }
    }

    static void validateHidden(String network, List<Integer> hidden) {
        if (hidden == null) {
            throw new Gan4jException("MLP " + network + " hidden widths must be a list, got null");
        }
        for (Integer units : hidden) {
            if (units == null || units < 1) {
                throw new Gan4jException("MLP " + network + " hidden widths must be >= 1, got " + hidden);
            }
        }
    }
}
