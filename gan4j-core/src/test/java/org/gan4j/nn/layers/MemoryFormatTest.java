package org.gan4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.nn.dcgan.SmallDcgan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MemoryFormat: the property, the channels-last copy (values, strides, gradient), and the DCGAN networks giving the
 * same outputs and gradients in both formats, with the generator's activations really channels-last by default.
 */
class MemoryFormatTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(MemoryFormat.PROPERTY);
    }

    @Test
    void propertySelectsTheFormat() {
        System.clearProperty(MemoryFormat.PROPERTY);
        assertThat(MemoryFormat.channelsLast(Device.cpu())).isTrue();
        assertThat(MemoryFormat.channelsLast(Device.gpu())).isFalse();
        System.setProperty(MemoryFormat.PROPERTY, "contiguous");
        assertThat(MemoryFormat.channelsLast(Device.cpu())).isFalse();
        System.setProperty(MemoryFormat.PROPERTY, "Channels-Last");
        assertThat(MemoryFormat.channelsLast(Device.gpu())).isTrue();
        System.setProperty(MemoryFormat.PROPERTY, "nhwc");
        assertThatThrownBy(() -> MemoryFormat.channelsLast(Device.cpu()))
                .isInstanceOf(Gan4jException.class)
                .hasMessage("system property gan4j.memory_format: expected channels-last or contiguous, got 'nhwc'");
    }

    @Test
    void channelsLastCopyKeepsValuesAndChangesStrides() throws ReflectiveOperationException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 3, 4, 5));
            NDArray y = MemoryFormat.toChannelsLast(x);
            assertThat(y.getShape()).isEqualTo(x.getShape());
            assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
            assertThat(isContiguous(x)).isTrue();
            assertThat(isContiguous(y)).as("channels-last strides are not plain-contiguous").isFalse();
            assertThat(MemoryFormat.toChannelsLast(y).toFloatArray()).containsExactly(x.toFloatArray());
            System.setProperty(MemoryFormat.PROPERTY, "contiguous");
            assertThat(MemoryFormat.preferred(x)).isSameAs(x);
            System.clearProperty(MemoryFormat.PROPERTY);
            assertThat(isContiguous(MemoryFormat.preferred(x))).isFalse();
            NDArray flat = manager.ones(new Shape(2, 3, 4));
            assertThat(MemoryFormat.preferred(flat)).isSameAs(flat);
            assertThatThrownBy(() -> MemoryFormat.toChannelsLast(flat))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(2, 3, 4)");
        }
    }

    @Test
    void gradientPassesThrough() {
        try (NDManager manager = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = manager.randomNormal(new Shape(2, 3, 4, 4));
            NDArray w = manager.randomNormal(new Shape(2, 3, 4, 4));
            x.setRequiresGradient(true);
            collector.backward(MemoryFormat.toChannelsLast(x).mul(w).sum());
            assertThat(x.getGradient().toFloatArray()).containsExactly(w.toFloatArray());
        }
    }

    /**
     * One channel, or a 1×1 map: plain and channels-last strides describe the same memory, and libtorch infers the
     * plain format from what {@code contiguous(channels_last)} returns. The copy must still make the convolutions
     * after it run channels-last (their outputs show it), or a one-channel DCGAN's discriminator runs plain.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"2, 1, 8, 8, 3", "2, 3, 1, 1, 1"})
    void ambiguousShapesStillMakeTheConvolutionChannelsLast(long n, long c, long h, long w, long kernel)
            throws ReflectiveOperationException {
        try (NDManager manager = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = manager.randomNormal(new Shape(n, c, h, w));
            NDArray weight = manager.randomNormal(new Shape(4, c, kernel, kernel));
            Shape unit = new Shape(1, 1);
            Shape padding = new Shape(1, 1);
            NDArray plain = Conv2d.conv2d(x, weight, null, unit, padding, unit, 1).singletonOrThrow();
            assertThat(isContiguous(plain)).isTrue();
            x.setRequiresGradient(true);
            NDArray y = MemoryFormat.toChannelsLast(x);
            assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
            NDArray out = Conv2d.conv2d(y, weight, null, unit, padding, unit, 1).singletonOrThrow();
            assertThat(isContiguous(out)).as("the convolution's output is channels-last").isFalse();
            assertThat(out.toFloatArray()).containsExactly(plain.toFloatArray(), within(1e-5f));
            NDArray upstream = manager.randomNormal(x.getShape());
            collector.backward(y.mul(upstream).sum());
            assertThat(x.getGradient().toFloatArray()).containsExactly(upstream.toFloatArray());
        }
    }

    /**
     * The generator's projection of z (a transposed convolution of a 1×1 map, computed as a matrix product) gives its
     * output in the selected format, so that the batch norm and ReLU after it run in the format of the rest.
     */
    @Test
    void projectionOfOneByOneMapFollowsTheFormat() throws ReflectiveOperationException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z = manager.randomNormal(new Shape(2, 3, 1, 1));
            NDArray w = manager.randomNormal(new Shape(3, 2, 4, 4));
            NDArray channelsLast = TransposedConv2d.transposedConv2d(z, w, null, 1, 0);
            assertThat(isContiguous(channelsLast)).isFalse();
            System.setProperty(MemoryFormat.PROPERTY, "contiguous");
            NDArray plain = TransposedConv2d.transposedConv2d(z, w, null, 1, 0);
            assertThat(isContiguous(plain)).isTrue();
            assertThat(channelsLast.toFloatArray()).containsExactly(plain.toFloatArray());
        }
    }

    /**
     * The trainer's re-laying of the DCGAN weights: every 4-D weight with more than one channel and more than one
     * element per map becomes channels-last with its values unchanged; one-channel weights and everything else stay;
     * nothing changes when the property says contiguous.
     */
    @Test
    void weightsToPreferredReLaysConvolutionWeightsOnly() throws ReflectiveOperationException {
        try (NDManager manager = NDManager.newBaseManager()) {
            SmallDcgan small = SmallDcgan.create(manager, 28, 1);
            System.setProperty(MemoryFormat.PROPERTY, "contiguous");
            MemoryFormat.weightsToPreferred(small.discriminator());
            for (Pair<String, Parameter> pair : small.discriminator().getParameters()) {
                assertThat(isContiguous(pair.getValue().getArray())).as(pair.getKey()).isTrue();
            }
            System.clearProperty(MemoryFormat.PROPERTY);
            int reLaid = 0;
            for (Block block : List.of(small.generator(), small.discriminator())) {
                List<float[]> before = new ArrayList<>();
                for (Pair<String, Parameter> pair : block.getParameters()) {
                    before.add(pair.getValue().getArray().toFloatArray());
                }
                MemoryFormat.weightsToPreferred(block);
                int i = 0;
                for (Pair<String, Parameter> pair : block.getParameters()) {
                    NDArray array = pair.getValue().getArray();
                    Shape shape = array.getShape();
                    boolean expected =
                            shape.dimension() == 4 && shape.get(1) > 1 && shape.get(2) * shape.get(3) > 1;
                    assertThat(isContiguous(array)).as(pair.getKey() + " " + shape).isEqualTo(!expected);
                    assertThat(array.toFloatArray()).as(pair.getKey()).containsExactly(before.get(i++));
                    reLaid += expected ? 1 : 0;
                }
            }
            // G: the projection and the 7→14 transposed convolution (the last has one output channel);
            // D: the 64→128 convolution and the readout (the first has one input channel)
            assertThat(reLaid).isEqualTo(4);
        }
    }

    /** One forward and backward pass of G and D (G's output through D), in the format the property selects. */
    @ParameterizedTest(name = "{0}×{0}, {1} channel(s)")
    @CsvSource({"32, 3", "28, 1"})
    void dcganGivesTheSameOutputsAndGradientsInBothFormats(int size, int channels) {
        // Seeded: the two formats sum in different orders, and a few draws of weights and noise are ill-conditioned
        // (batch norm over 5 samples): of seeds 0–299 at 32×32, seed 108 gave gradients 0.13–0.56 % apart (outputs
        // 3e-6), the same with and without the launcher's oneDNN cache correction, while every other seed stayed
        // under 1e-4. Unseeded, the draw depended on the tests run before it, and the full suite failed once (2e-4).
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            SmallDcgan small = SmallDcgan.create(manager, size, channels);

            System.setProperty(MemoryFormat.PROPERTY, "contiguous");
            List<float[]> plain = pass(small, manager, false);
            System.clearProperty(MemoryFormat.PROPERTY);
            List<float[]> channelsLast = pass(small, manager, true);

            assertThat(channelsLast).hasSameSizeAs(plain);
            for (int i = 0; i < plain.size(); i++) {
                float[] expected = plain.get(i);
                float[] actual = channelsLast.get(i);
                assertThat(actual).hasSameSizeAs(expected);
                double scale = 1e-6;
                for (float v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int j = 0; j < expected.length; j++) {
                    assertThat(Math.abs(actual[j] - expected[j]) / scale)
                            .as("array %d (0: samples, 1: logits, then gradients), element %d", i, j)
                            .isLessThan(1e-4);
                }
            }
        }
    }

    private static List<float[]> pass(SmallDcgan small, NDManager manager, boolean expectChannelsLast) {
        return small.pass(
                manager,
                false,
                samples -> {
                    // tanh, batch norm and ReLU keep the transposed convolutions' format: the samples show it (one
                    // channel: both formats are contiguous)
                    if (samples.getShape().get(1) > 1) {
                        try {
                            assertThat(isContiguous(samples)).isEqualTo(!expectChannelsLast);
                        } catch (ReflectiveOperationException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
    }

    /** libtorch's {@code is_contiguous()} (plain strides), which DJL keeps package-private. */
    private static boolean isContiguous(NDArray array) throws ReflectiveOperationException {
        Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
        Field instance = library.getDeclaredField("LIB");
        instance.setAccessible(true);
        Method method = library.getDeclaredMethod("torchIsContiguous", long.class);
        method.setAccessible(true);
        long handle = ((ai.djl.pytorch.engine.PtNDArray) array).getHandle();
        return (Boolean) method.invoke(instance.get(null), handle);
    }
}
