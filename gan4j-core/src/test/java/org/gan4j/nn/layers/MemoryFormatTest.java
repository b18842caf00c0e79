package org.gan4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
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
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.nn.dcgan.DcganDiscriminator;
import org.gan4j.nn.dcgan.DcganGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    /** One forward and backward pass of G and D (G's output through D), in the format the property selects. */
    @Test
    void dcganGivesTheSameOutputsAndGradientsInBothFormats() throws ReflectiveOperationException {
        try (NDManager manager = NDManager.newBaseManager()) {
            DcganGenerator generator =
                    DcganGenerator.builder().setImageSize(32).setChannels(3).optLatentSize(8).optFeatures(4).build();
            DcganDiscriminator discriminator =
                    DcganDiscriminator.builder().setImageSize(32).setChannels(3).optFeatures(4).build();
            generator.initialize(manager, DataType.FLOAT32, new Shape(5, 8));
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(5, 3, 32, 32));
            NDArray z = manager.randomNormal(new Shape(5, 8));

            System.setProperty(MemoryFormat.PROPERTY, "contiguous");
            List<float[]> plain = pass(generator, discriminator, z, manager, false);
            System.clearProperty(MemoryFormat.PROPERTY);
            List<float[]> channelsLast = pass(generator, discriminator, z, manager, true);

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

    private static List<float[]> pass(
            DcganGenerator generator,
            DcganDiscriminator discriminator,
            NDArray z,
            NDManager manager,
            boolean expectChannelsLast)
            throws ReflectiveOperationException {
        List<float[]> out = new ArrayList<>();
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray samples = generator.forward(store, new NDList(z), true).singletonOrThrow();
            // tanh, batch norm and ReLU keep the transposed convolutions' format: the samples show it
            assertThat(isContiguous(samples)).isEqualTo(!expectChannelsLast);
            NDArray logits = discriminator.forward(store, new NDList(samples), true).singletonOrThrow();
            collector.backward(logits.mul(step.arange(1f, 6f).reshape(5, 1)).sum());
            out.add(samples.toFloatArray());
            out.add(logits.toFloatArray());
            for (Block block : List.of(generator, discriminator)) {
                for (Pair<String, Parameter> pair : block.getParameters()) {
                    NDArray array = pair.getValue().getArray();
                    if (array.hasGradient()) {
                        out.add(array.getGradient().toFloatArray());
                        array.getGradient().subi(array.getGradient());
                    }
                }
            }
        }
        return out;
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
