package org.gan4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.nn.dcgan.SmallDcgan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Layers#forwardReleasing}: the same values and gradients as DJL's {@code SequentialBlock}, with each
 * intermediate array closed as soon as the next layer has run, and never the caller's input or an array a layer
 * passed through.
 */
class LayersTest {

    @Test
    void closesIntermediatesButNotTheInputOrPassedThroughArrays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> seen = new ArrayList<>();
            List<Block> layers =
                    List.of(
                            recording(seen, x -> x.add(1f)),
                            recording(seen, x -> x.mul(2f)),
                            recording(seen, x -> x), // passes its input through: must stay open for the next layer
                            recording(seen, x -> x.sub(3f)));
            NDArray input = manager.create(new float[] {1f, 2f});
            NDList output =
                    Layers.forwardReleasing(layers, new ParameterStore(manager, false), new NDList(input), false, null);

            assertThat(output.singletonOrThrow().toFloatArray()).containsExactly(1f, 3f);
            assertThat(input.isReleased()).isFalse();
            assertThat(input.toFloatArray()).containsExactly(1f, 2f);
            // seen: the inputs of the four layers: x, x+1, 2(x+1), 2(x+1) again
            assertThat(seen.get(0)).isSameAs(input);
            assertThat(seen.get(1).isReleased()).isTrue();
            assertThat(seen.get(2)).isSameAs(seen.get(3));
            assertThat(seen.get(3).isReleased()).isTrue();
            assertThat(output.singletonOrThrow().isReleased()).isFalse();
        }
    }

    private static Block recording(List<NDArray> seen, java.util.function.Function<NDArray, NDArray> f) {
        return LambdaBlock.singleton(
                x -> {
                    seen.add(x);
                    return f.apply(x);
                });
    }

    @ParameterizedTest(name = "{0}×{0}, {1} channel(s)")
    @CsvSource({"28, 1", "64, 3"})
    void dcganSameAsSequentialBlockAndKeepsFewerArrays(int size, int channels) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SmallDcgan pair = SmallDcgan.create(manager, size, channels);
            // DJL's SequentialBlock over the very same layers (and so the same parameters)
            SequentialBlock plainG = new SequentialBlock();
            plainG.addAll(pair.generator().getChildren().values());
            SequentialBlock plainD = new SequentialBlock();
            plainD.add(LambdaBlock.singleton(MemoryFormat::preferred));
            plainD.addAll(pair.discriminator().getChildren().values());

            long[] keptReleasing = new long[1];
            List<float[]> releasing = pass(manager, pair, pair.generator(), pair.discriminator(), keptReleasing);
            long[] keptPlain = new long[1];
            List<float[]> plain = pass(manager, pair, plainG, plainD, keptPlain);

            assertThat(releasing).hasSameSizeAs(plain);
            for (int i = 0; i < plain.size(); i++) {
                assertThat(releasing.get(i)).as("array %d", i).containsExactly(plain.get(i));
            }
            // G's and D's intermediate activations are gone by the end of the forward passes
            assertThat(keptReleasing[0]).isLessThan(keptPlain[0] - 10);
        }
    }

    /** G then D forward in training mode, arrays still held counted, then backward: samples, logits, gradients. */
    private static List<float[]> pass(
            NDManager manager, SmallDcgan pair, Block generator, Block discriminator, long[] kept) {
        List<float[]> out = new ArrayList<>();
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray z = pair.z().duplicate();
            z.attach(step);
            NDArray samples = generator.forward(store, new NDList(z), true).singletonOrThrow();
            NDArray logits = discriminator.forward(store, new NDList(samples), true).singletonOrThrow();
            kept[0] = step.getManagedArrays().stream().filter(a -> !a.isReleased()).count();
            out.add(samples.toFloatArray());
            out.add(logits.toFloatArray());
            collector.backward(logits.mul(step.arange(1f, 6f).reshape(new Shape(5, 1))).sum());
            out.addAll(pair.takeGradients(false)); // not the running statistics: each pass moves them
        }
        return out;
    }
}
