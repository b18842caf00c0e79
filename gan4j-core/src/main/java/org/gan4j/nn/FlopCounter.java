package org.gan4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import org.gan4j.config.TrainingConfig;
import org.gan4j.nn.layers.TransposedConv2d;

/**
 * Counts the floating-point operations of GAN networks and training steps analytically, layer by layer.
 *
 * <p>Only the layers that dominate the cost are counted, as two operations (a multiply and an add) per
 * multiply-accumulate: a linear layer costs {@code 2·N·in·out}, a convolution {@code 2·N·Cout·Hout·Wout·(Cin/groups)·kh·kw}
 * and a transposed convolution {@code 2·N·Cin·H·W·Cout·k²} (the mathematical operation, not the zero taps an
 * implementation may add). Batch norm, activations, reshapes and biases are elementwise and left out (under 1 % of a
 * DCGAN step). A layer's backward pass costs its forward cost once for the gradient with respect to its input and once
 * for the gradient with respect to its weights, and only the gradients a step needs are counted: none with respect to
 * a network's input (noise, data, detached fakes) and none with respect to D's weights in G's update (not asked for
 * there).
 *
 * <p>The blocks must be initialized: the counter reads each layer's recorded input shapes.
 */
public final class FlopCounter {

    private FlopCounter() {}

    /**
     * Returns the operations of one forward pass of an initialized block per example of its initialization batch.
     *
     * @param block an initialized block (sequential blocks are walked recursively)
     * @return floating-point operations per example
     * @throws IllegalStateException if the block is not initialized
     */
    public static double forwardPerExample(Block block) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("initialize the block before counting its operations");
        }
        Shape[] inputs = block.getInputShapes();
        long batch = inputs[0].get(0);
        return forward(block) / batch;
    }

    private static double forward(Block block) {
        if (block instanceof Linear) {
            Shape input = block.getInputShapes()[0];
            Shape output = block.getOutputShapes(block.getInputShapes())[0];
            return 2.0 * input.get(input.dimension() - 1) * output.size();
        }
        if (block instanceof Convolution convolution) {
            Shape input = block.getInputShapes()[0];
            Shape output = block.getOutputShapes(block.getInputShapes())[0];
            double perOutput = (double) input.get(1) / convolution.getGroups() * convolution.getKernelShape().size();
            return 2.0 * output.size() * perOutput;
        }
        if (block instanceof TransposedConv2d transposed) {
            Shape input = block.getInputShapes()[0];
            long k = transposed.getKernelSize();
            return 2.0 * input.size() * transposed.getFilters() * k * k;
        }
        double total = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            total += forward(child.getValue());
        }
        return total;
    }

    /**
     * Returns the forward operations of a block's first counted layer (linear, convolution or transposed convolution,
     * depth first) per example: the layer whose input needs no gradient.
     *
     * @param block an initialized block
     * @return floating-point operations per example of the first counted layer, 0 if it has none
     * @throws IllegalStateException if the block is not initialized
     */
    public static double firstLayerPerExample(Block block) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("initialize the block before counting its operations");
        }
        long batch = block.getInputShapes()[0].get(0);
        Block first = firstCounted(block);
        return first == null ? 0 : forward(first) / batch;
    }

    private static Block firstCounted(Block block) {
        if (block instanceof Linear || block instanceof Convolution || block instanceof TransposedConv2d) {
            return block;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            Block found = firstCounted(child.getValue());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * Returns the operations one training step of {@link org.gan4j.training.GanTrainer} needs at the configured batch.
     *
     * <p>With G and D the forward costs of the whole batch and G₁, D₁ those of their first layers: each D update runs
     * G forward (the fakes, detached), D forward on reals and fakes ({@code 2D}) and their backward: D's weight
     * gradients ({@code 2D}) and the input gradients of every layer but the first ({@code 2(D − D₁)}), in all
     * {@code G + 6D − 2D₁}. Each G update runs D forward on the fakes ({@code D}), the backward through D (input
     * gradients only, {@code D}) and through G (weights {@code G}, inputs {@code G − G₁}): {@code 2D + 2G − G₁}; G
     * updates after the first regenerate the fakes ({@code G}). For the usual 1:1 game that is
     * {@code 3G − G₁ + 8D − 2D₁}.
     *
     * @param models initialized networks
     * @param training batch size and update ratio
     * @return floating-point operations per step
     */
    public static double trainingStep(GanModels models, TrainingConfig training) {
        double examples = training.batchSize();
        double packed = examples / models.packing();
        double generator = forwardPerExample(models.generator()) * examples;
        double generatorFirst = firstLayerPerExample(models.generator()) * examples;
        double discriminator = forwardPerExample(models.discriminator()) * packed;
        double discriminatorFirst = firstLayerPerExample(models.discriminator()) * packed;
        return training.dSteps() * (generator + 6 * discriminator - 2 * discriminatorFirst)
                + training.gSteps() * (2 * discriminator + 2 * generator - generatorFirst)
                + Math.max(0, training.gSteps() - 1) * generator;
    }
}
