package org.gan4j.nn.dcgan;

import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.gan4j.nn.Activation;
import org.gan4j.nn.GanModels;
import org.gan4j.nn.layers.BatchNorm;
import org.gan4j.nn.layers.Layers;
import org.gan4j.nn.layers.TransposedConv2d;

/**
 * The DCGAN generator of Radford, Metz and Chintala 2015, "Unsupervised Representation Learning with Deep
 * Convolutional Generative Adversarial Networks".
 *
 * <p>z ∈ ℝ^nz is projected to a (ngf·2^(L−1), b, b) feature map by a transposed convolution of a 1×1 input with a
 * b×b kernel (the same as a linear layer), then L transposed convolutions with kernel 4, stride 2, padding 1 double
 * the size and halve the features down to the image channels:
 *
 * <pre>
 *   h₀ = ReLU(BN(ConvT_b(z)))            (ngf·2^(L−1), b, b)
 *   hᵢ = ReLU(BN(ConvT_4,2,1(hᵢ₋₁)))      (ngf·2^(L−1−i), b·2^i, b·2^i),  i = 1 … L−1
 *   G(z) = tanh(ConvT_4,2,1(h_{L−1}))    (C, S, S) in [−1, 1]
 * </pre>
 *
 * <p>S = 28: b = 7, L = 2; S = 32: b = 4, L = 3; S = 64: b = 4, L = 4 (exactly pytorch/examples {@code dcgan}'s
 * netG with ngf·8, 4, 2, 1); S = 128: b = 4, L = 5. No layer has a bias (every one but the last feeds a batch
 * norm). Batch norm uses PyTorch's momentum 0.1 (DJL momentum 0.9) and epsilon 1e-5. Input (N, nz), output (N, C,
 * S, S).
 */
public final class DcganGenerator extends SequentialBlock {

    private final int imageSize;
    private final int channels;
    private final int latentSize;
    private final int features;

    private DcganGenerator(Builder builder) {
        imageSize = builder.imageSize;
        channels = builder.channels;
        latentSize = builder.latentSize;
        features = builder.features;
        int base = DcganSizes.base(imageSize);
        int strided = DcganSizes.strided(imageSize);
        add(LambdaBlock.singleton(z -> z.reshape(z.getShape().get(0), -1, 1, 1), "latent_to_map"));
        int width = features << (strided - 1);
        add(TransposedConv2d.builder().setFilters(width).setKernelSize(base).build());
        add(batchNorm());
        add(Activation.RELU.inPlaceBlock());
        for (int layer = 1; layer < strided; layer++) {
            width /= 2;
            add(TransposedConv2d.builder().setFilters(width).setKernelSize(4).optStride(2).optPadding(1).build());
            add(batchNorm());
            add(Activation.RELU.inPlaceBlock());
        }
        add(TransposedConv2d.builder().setFilters(channels).setKernelSize(4).optStride(2).optPadding(1).build());
        add(Activation.TANH.block());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return Layers.forwardReleasing(getChildren().values(), parameterStore, inputs, training, params);
    }

    /**
     * Returns a builder for a DCGAN generator.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    static BatchNorm batchNorm() {
        // gan4j's batch norm, not DJL's: its output is not a view, so the activation after it can run in place
        return new BatchNorm(GanModels.BATCH_NORM_MOMENTUM, 1e-5f);
    }

    /**
     * Returns the side length S of the generated images.
     *
     * @return the image size
     */
    public int getImageSize() {
        return imageSize;
    }

    /**
     * Returns the channels C of the generated images.
     *
     * @return the channels
     */
    public int getChannels() {
        return channels;
    }

    /**
     * Returns the dimension nz of the latent input.
     *
     * @return the latent size
     */
    public int getLatentSize() {
        return latentSize;
    }

    /**
     * Returns ngf, the feature maps of the last hidden layer.
     *
     * @return the feature width
     */
    public int getFeatures() {
        return features;
    }

    /** Builds a {@link DcganGenerator}: image size and channels are required. */
    public static final class Builder {

        private int imageSize;
        private int channels;
        private int latentSize = 100;
        private int features = 64;

        private Builder() {}

        /**
         * Sets the side length of the square output images (required): 28, 32, 64 or 128.
         *
         * @param imageSize S
         * @return this builder
         */
        public Builder setImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * Sets the number of image channels (required), e.g. 1 for MNIST, 3 for CIFAR-10.
         *
         * @param channels C ≥ 1
         * @return this builder
         */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets the latent dimension nz (default 100).
         *
         * @param latentSize nz ≥ 1
         * @return this builder
         */
        public Builder optLatentSize(int latentSize) {
            this.latentSize = latentSize;
            return this;
        }

        /**
         * Sets ngf, the feature maps of the last hidden layer, doubling towards z (default 64).
         *
         * @param features ngf ≥ 1
         * @return this builder
         */
        public Builder optFeatures(int features) {
            this.features = features;
            return this;
        }

        /**
         * Validates the settings and builds the generator.
         *
         * @return the generator
         * @throws org.gan4j.Gan4jException if the image size is unsupported or a width is below 1
         */
        public DcganGenerator build() {
            DcganSizes.validate("generator", imageSize, channels);
            DcganSizes.validatePositive("generator latent size", latentSize);
            DcganSizes.validatePositive("generator features (ngf)", features);
            return new DcganGenerator(this);
        }
    }
}
