package org.gan4j.nn.dcgan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small initialised DCGAN pair (latent size 8, 4 features, batch 5) and a batch of noise, for tests that compare
 * one forward and backward pass of G and D under two settings.
 *
 * @param generator G, initialised for batches of 5
 * @param discriminator D, initialised for G's output
 * @param z a batch of 5 latent vectors
 */
public record SmallDcgan(DcganGenerator generator, DcganDiscriminator discriminator, NDArray z) {

    /**
     * Builds and initialises the pair in a manager.
     *
     * @param manager owns the parameters and the noise
     * @param size the image side length
     * @param channels the image channels
     * @return the pair and the noise
     */
    public static SmallDcgan create(NDManager manager, int size, int channels) {
        DcganGenerator generator =
                DcganGenerator.builder().setImageSize(size).setChannels(channels).optLatentSize(8).optFeatures(4).build();
        DcganDiscriminator discriminator =
                DcganDiscriminator.builder().setImageSize(size).setChannels(channels).optFeatures(4).build();
        generator.initialize(manager, DataType.FLOAT32, new Shape(5, 8));
        discriminator.initialize(manager, DataType.FLOAT32, new Shape(5, channels, size, size));
        return new SmallDcgan(generator, discriminator, manager.randomNormal(new Shape(5, 8)));
    }

    /**
     * Runs one forward and backward pass of G and D (G's output through D, the logits weighted 1 … 5) in training
     * mode.
     *
     * @param manager the parent of the pass's arrays
     * @param statistics whether the result includes the running statistics ({@link #takeGradients})
     * @param samplesCheck looks at G's output before D runs
     * @return G's samples, D's logits, then {@link #takeGradients}
     */
    public List<float[]> pass(NDManager manager, boolean statistics, Consumer<NDArray> samplesCheck) {
        List<float[]> out = new ArrayList<>();
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray samples = generator.forward(store, new NDList(z), true).singletonOrThrow();
            samplesCheck.accept(samples);
            NDArray logits = discriminator.forward(store, new NDList(samples), true).singletonOrThrow();
            out.add(samples.toFloatArray());
            out.add(logits.toFloatArray());
            collector.backward(logits.mul(step.arange(1f, 6f).reshape(5, 1)).sum());
            out.addAll(takeGradients(statistics));
        }
        return out;
    }

    /**
     * Returns the gradient of every parameter of G, then D, that has one, and sets those gradients to zero for the next
     * pass; with {@code statistics}, the values of the others (the batch norms' running statistics) in their place.
     *
     * @param statistics whether to include the parameters without gradients
     * @return the arrays' values, in parameter order
     */
    public List<float[]> takeGradients(boolean statistics) {
        List<float[]> out = new ArrayList<>();
        for (Block block : List.of(generator, discriminator)) {
            for (Pair<String, Parameter> pair : block.getParameters()) {
                NDArray array = pair.getValue().getArray();
                if (array.hasGradient()) {
                    out.add(array.getGradient().toFloatArray());
                    array.getGradient().subi(array.getGradient());
                } else if (statistics) {
                    out.add(array.toFloatArray());
                }
            }
        }
        return out;
    }
}
