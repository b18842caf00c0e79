package org.gan4j.config;

import java.util.List;
import org.gan4j.nn.Activation;

/**
 * The generator and discriminator architectures.
 *
 * @param architecture mlp, dcgan, or auto (mlp for 2-D points, dcgan for images)
 * @param latentSize dimension of the noise z ~ N(0, I) (nz)
 * @param mlp settings of the multilayer perceptrons
 * @param dcgan settings of the DCGAN networks
 * @param packing PacGAN packing m: D judges m samples at once, concatenated (1 = no packing)
 */
public record ModelConfig(Architecture architecture, int latentSize, MlpConfig mlp, DcganConfig dcgan, int packing) {

    /** Architecture families. */
    public enum Architecture {
        /** mlp for point data, dcgan for images. */
        AUTO,
        /** Fully connected networks. */
        MLP,
        /** Radford et al. 2015. */
        DCGAN
    }

    /**
     * Multilayer perceptrons; the defaults are the d2l toy (G = Linear 2→2, D = 2→5→3→1 with tanh).
     *
     * @param generatorHidden hidden layer widths of G (empty: one linear layer)
     * @param generatorActivation activation after each hidden layer of G
     * @param generatorBatchNorm batch norm after each hidden linear layer of G
     * @param generatorOutput activation of G's output layer
     * @param discriminatorHidden hidden layer widths of D
     * @param discriminatorActivation activation after each hidden layer of D (ignored with maxout)
     * @param discriminatorMaxoutPieces maxout pieces per hidden unit of D (0 = plain activation; PacGAN uses 5;
     *     1 is refused, since a one-piece maxout is a linear unit)
     * @param initStd 0 for PyTorch's default initialization of both networks; otherwise every weight ~ N(0, initStd²)
     *     and biases as {@code initBiases} says (PacGAN's code: 0.02, biases 0; d2l: 0.02, biases N(0, 0.02²) too)
     * @param initBiases with {@code initStd} above 0: biases 0 ({@code ZERO}) or ~ N(0, initStd²) like the weights
     *     ({@code NORMAL}, d2l's {@code nn.init.normal_} over every parameter)
     */
    public record MlpConfig(
            List<Integer> generatorHidden,
            Activation generatorActivation,
            boolean generatorBatchNorm,
            Activation generatorOutput,
            List<Integer> discriminatorHidden,
            Activation discriminatorActivation,
            int discriminatorMaxoutPieces,
            double initStd,
            BiasInit initBiases) {

        /**
         * The configuration with biases 0 under {@code initStd} (the form before {@code initBiases} existed).
         *
         * @param generatorHidden hidden layer widths of G
         * @param generatorActivation activation after each hidden layer of G
         * @param generatorBatchNorm batch norm after each hidden linear layer of G
         * @param generatorOutput activation of G's output layer
         * @param discriminatorHidden hidden layer widths of D
         * @param discriminatorActivation activation after each hidden layer of D
         * @param discriminatorMaxoutPieces maxout pieces per hidden unit of D
         * @param initStd 0 for PyTorch's default initialization; otherwise weights ~ N(0, initStd²)
         */
        public MlpConfig(List<Integer> generatorHidden, Activation generatorActivation, boolean generatorBatchNorm,
                Activation generatorOutput, List<Integer> discriminatorHidden, Activation discriminatorActivation,
                int discriminatorMaxoutPieces, double initStd) {
            this(generatorHidden, generatorActivation, generatorBatchNorm, generatorOutput, discriminatorHidden,
                    discriminatorActivation, discriminatorMaxoutPieces, initStd, BiasInit.ZERO);
        }
    }

    /** How {@code model.mlp.initStd} initialises biases. */
    public enum BiasInit {
        /** Biases 0 (Blocks' IsotropicGaussian with Constant(0) biases, as in the PacGAN/VEEGAN code). */
        ZERO,
        /** Biases ~ N(0, initStd²), as d2l's {@code nn.init.normal_(w, 0, 0.02)} over every parameter. */
        NORMAL
    }

    /**
     * DCGAN widths; image size and channels come from the data.
     *
     * @param generatorFeatures ngf: feature maps of G's last hidden layer (doubling towards z)
     * @param discriminatorFeatures ndf: feature maps of D's first layer (doubling with depth)
     */
    public record DcganConfig(int generatorFeatures, int discriminatorFeatures) {}
}
