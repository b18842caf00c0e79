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
 * DCGAN step). A backward pass costs twice its forward pass (gradients with respect to the input and to the weights).
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
     * Returns the operations of one training step of {@link org.gan4j.training.GanTrainer} at the configured batch.
     *
     * <p>With G and D the forward costs of the whole batch: each D update runs G forward (the fakes), D forward on
     * reals and fakes and their backward ({@code G + 6D}); each G update runs D forward on the fakes and backward
     * through D into G ({@code 3D + 2G}); G updates after the first regenerate the fakes ({@code G}). For the usual
     * 1:1 game that is {@code 3G + 9D}.
     *
     * @param models initialized networks
     * @param training batch size and update ratio
     * @return floating-point operations per step
     */
    public static double trainingStep(GanModels models, TrainingConfig training) {
        double generator = forwardPerExample(models.generator()) * training.batchSize();
        double discriminator =
                forwardPerExample(models.discriminator()) * ((double) training.batchSize() / models.packing());
        return training.dSteps() * (generator + 6 * discriminator)
                + training.gSteps() * (3 * discriminator + 2 * generator)
                + Math.max(0, training.gSteps() - 1) * generator;
    }
}
