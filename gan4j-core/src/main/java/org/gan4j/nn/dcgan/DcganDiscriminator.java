package org.gan4j.nn.dcgan;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.gan4j.nn.Activation;
import org.gan4j.nn.layers.Layers;
import org.gan4j.nn.layers.MatMulConv2d;
import org.gan4j.nn.layers.MemoryFormat;

/**
 * The DCGAN discriminator of Radford, Metz and Chintala 2015, "Unsupervised Representation Learning with Deep
 * Convolutional Generative Adversarial Networks", optionally packed (PacGAN, Lin et al. 2018).
 *
 * <p>L convolutions with kernel 4, stride 2, padding 1 halve the size and double the features from ndf; a final
 * b×b valid convolution gives one logit:
 *
 * <pre>
 *   h₁ = LeakyReLU₀.₂(Conv_4,2,1(x))          (ndf, S/2, S/2)          (no batch norm on the input layer)
 *   hᵢ = LeakyReLU₀.₂(BN(Conv_4,2,1(hᵢ₋₁)))    (ndf·2^(i−1), S/2^i, S/2^i),  i = 2 … L
 *   D(x) = Conv_b(h_L)                        (N, 1), a logit: no sigmoid
 * </pre>
 *
 * <p>S = 28: L = 2, b = 7; S = 32: L = 3, b = 4; S = 64: L = 4, b = 4 (exactly pytorch/examples {@code dcgan}'s
 * netD without its sigmoid); S = 128: L = 5, b = 4. No convolution has a bias. Batch norm uses PyTorch's momentum
 * 0.1 (DJL momentum 0.9) and epsilon 1e-5. With packing m the input has C·m channels (see
 * {@link org.gan4j.nn.Packing#pack}).
 */
public final class DcganDiscriminator extends SequentialBlock {

    private final int imageSize;
    private final int channels;
    private final int features;
    private final int packing;

    private DcganDiscriminator(Builder builder) {
        imageSize = builder.imageSize;
        channels = builder.channels;
        features = builder.features;
        packing = builder.packing;
        int strided = DcganSizes.strided(imageSize);
        int width = features;
        for (int layer = 1; layer <= strided; layer++) {
            add(
                    Conv2d.builder()
                            .setFilters(width)
                            .setKernelShape(new Shape(4, 4))
                            .optStride(new Shape(2, 2))
                            .optPadding(new Shape(1, 1))
                            .optBias(false)
                            .build());
            if (layer > 1) {
                add(DcganGenerator.batchNorm());
            }
            // in place: the convolution's or batch norm's output is read by nothing else
            add(Activation.LEAKY_RELU.inPlaceBlock());
            width *= 2;
        }
        int base = DcganSizes.base(imageSize);
        // the b×b readout covers its whole input: one matrix product (same parameter as DJL's Conv2d)
        add(new MatMulConv2d(Conv2d.builder().setFilters(1).setKernelShape(new Shape(base, base)).optBias(false)));
        add(LambdaBlock.singleton(logits -> logits.reshape(logits.getShape().get(0), 1), "to_logit"));
    }

    /**
     * Runs the layers on the input in the memory format {@link MemoryFormat} selects (channels-last on the CPU by
     * default): converted once here, every convolution, batch norm and activation after it keeps the format.
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList formatted = new NDList(MemoryFormat.preferred(inputs.singletonOrThrow()));
        NDList out = Layers.forwardReleasing(getChildren().values(), parameterStore, formatted, training, params);
        if (formatted.singletonOrThrow() != inputs.singletonOrThrow()) {
            formatted.singletonOrThrow().close();
        }
        return out;
    }

    /**
     * Returns a builder for a DCGAN discriminator.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the side length S of the judged images.
     *
     * @return the image size
     */
    public int getImageSize() {
        return imageSize;
    }

    /**
     * Returns the channels C of one image (the input has C·m channels).
     *
     * @return the channels
     */
    public int getChannels() {
        return channels;
    }

    /**
     * Returns ndf, the feature maps of the first layer.
     *
     * @return the feature width
     */
    public int getFeatures() {
        return features;
    }

    /**
     * Returns the PacGAN packing m.
     *
     * @return the packing (1 = none)
     */
    public int getPacking() {
        return packing;
    }

    /** Builds a {@link DcganDiscriminator}: image size and channels are required. */
    public static final class Builder {

        private int imageSize;
        private int channels;
        private int features = 64;
        private int packing = 1;

        private Builder() {}

        /**
         * Sets the side length of the square input images (required): 28, 32, 64 or 128.
         *
         * @param imageSize S
         * @return this builder
         */
        public Builder setImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * Sets the channels of one image (required); with packing the input has channels·m.
         *
         * @param channels C ≥ 1
         * @return this builder
         */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets ndf, the feature maps of the first layer, doubling with depth (default 64).
         *
         * @param features ndf ≥ 1
         * @return this builder
         */
        public Builder optFeatures(int features) {
            this.features = features;
            return this;
        }

        /**
         * Sets the PacGAN packing m (default 1): the input holds m images concatenated along the channels.
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
         * @throws org.gan4j.Gan4jException if the image size is unsupported or a width is below 1
         */
        public DcganDiscriminator build() {
            DcganSizes.validate("discriminator", imageSize, channels);
            DcganSizes.validatePositive("discriminator features (ndf)", features);
            DcganSizes.validatePositive("discriminator packing", packing);
            return new DcganDiscriminator(this);
        }
    }
}
