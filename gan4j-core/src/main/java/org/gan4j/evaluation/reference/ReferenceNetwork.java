package org.gan4j.evaluation.reference;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.ndarray.types.Shape;

/**
 * The reference classifier's architecture: a small CNN whose penultimate layer is the feature space of image metrics
 * (the role Inception-v3's pool layer plays for FID, Heusel et al. 2017; TF-GAN uses an MNIST classifier the same way).
 *
 * <p>Layers, for a C × H × W input in [-1, 1]: conv 3×3 16 (pad 1) ReLU, max-pool 2; conv 3×3 32 (pad 1) ReLU,
 * max-pool 2; flatten (32·⌊H/4⌋·⌊W/4⌋); linear 128 ReLU = the features; linear {@code classes} = the logits. The
 * flatten size is not fixed here: the linear layers take their input size from the shape the network is initialised
 * with (the sidecar's {@link ReferenceInfo#imageShape()}). For the shipped grey 1×28×28 classifier the flatten is
 * 32·7·7 = 1568: about 206,000 parameters (0.8 MB as float32) and 1.2 million multiply-adds per image, so it trains in
 * minutes on a CPU; a colour 3×32×32 (CIFAR) one has 2048 (about 265,000 parameters), a 3×64×64 one 8192 (about
 * 1.05 million).
 */
public final class ReferenceNetwork {

    /** Dimension of the feature layer. */
    public static final int FEATURE_DIMENSION = 128;

    private final SequentialBlock features;
    private final Linear head;
    private final SequentialBlock network;

    private ReferenceNetwork(int classes) {
        features =
                new SequentialBlock()
                        .add(conv(16))
                        .add(Activation.reluBlock())
                        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                        .add(conv(32))
                        .add(Activation.reluBlock())
                        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(FEATURE_DIMENSION).build())
                        .add(Activation.reluBlock());
        head = Linear.builder().setUnits(classes).build();
        network = new SequentialBlock().add(features).add(head);
    }

    /**
     * Creates an uninitialised network.
     *
     * @param classes number of classes (logits)
     * @return the network
     */
    public static ReferenceNetwork create(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        return new ReferenceNetwork(classes);
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
    }

    /**
     * Returns the block from the image to the features.
     *
     * @return the feature block
     */
    public SequentialBlock features() {
        return features;
    }

    /**
     * Returns the last linear layer (features to logits).
     *
     * @return the head
     */
    public Linear head() {
        return head;
    }

    /**
     * Returns the whole network (features then head), the block that is trained and saved.
     *
     * @return the network
     */
    public SequentialBlock network() {
        return network;
    }
}
