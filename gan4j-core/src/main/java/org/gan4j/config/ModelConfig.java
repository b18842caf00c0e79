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
     *     and biases 0 (PacGAN's code: 0.02)
     */
    public record MlpConfig(
            List<Integer> generatorHidden,
            Activation generatorActivation,
            boolean generatorBatchNorm,
            Activation generatorOutput,
            List<Integer> discriminatorHidden,
            Activation discriminatorActivation,
            int discriminatorMaxoutPieces,
            double initStd) {}

    /**
     * DCGAN widths; image size and channels come from the data.
     *
     * @param generatorFeatures ngf: feature maps of G's last hidden layer (doubling towards z)
     * @param discriminatorFeatures ndf: feature maps of D's first layer (doubling with depth)
     */
    public record DcganConfig(int generatorFeatures, int discriminatorFeatures) {}
}
