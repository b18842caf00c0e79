package org.gan4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MatMulConv2d against DJL's Conv2d with the same weights: outputs, both gradients, and the checkpoint format. */
class MatMulConv2dTest {

    private static Conv2d.Builder builder(int filters, int kernel, int padding, boolean bias) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(padding, padding))
                .optBias(bias);
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(MemoryFormat.PROPERTY);
    }

    /**
     * Filters, kernel, padding, input size, bias, input layout: the covering cases run the product (flattened
     * (H, W, C) where MemoryFormat selects channels-last, (C, H, W) where it selects contiguous), the others DJL's
     * kernel; inputs plain or channels-last either way.
     */
    @ParameterizedTest(name = "filters {0} k{1} p{2} on {3}×{3} bias {4}, {5}")
    @CsvSource({
        "1, 7, 0, 7, false, channels-last", // DCGAN 28×28 readout
        "1, 4, 0, 4, false, channels-last", // DCGAN 32/64/128 readout
        "1, 7, 0, 7, false, plain",
        "1, 4, 0, 4, false, plain",
        "1, 4, 0, 4, false, contiguous property",
        "3, 3, 0, 3, true, channels-last",
        "3, 3, 0, 3, true, plain",
        "3, 3, 0, 3, true, contiguous property",
        "2, 3, 0, 5, true, plain", // larger input: the convolution
        "2, 3, 1, 3, false, channels-last" // padded: the convolution
    })
    void equalsDjlConvolution(int filters, int kernel, int padding, int size, boolean bias, String layout)
            throws IOException, ai.djl.MalformedModelException {
        // the reference is libtorch's convolution with one output channel, which some machines compute wrongly
        org.junit.jupiter.api.Assumptions.assumeTrue(org.gan4j.nn.ConvolutionCheck.problem() == null,
                () -> "libtorch on this machine: " + org.gan4j.nn.ConvolutionCheck.problem() + " (docs/RELIABILITY.md)");
        if (layout.equals("contiguous property")) {
            System.setProperty(MemoryFormat.PROPERTY, "contiguous");
        }
        boolean channelsLastInput = layout.equals("channels-last");
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(4, 5, size, size);
            Conv2d reference = builder(filters, kernel, padding, bias).build();
            MatMulConv2d block = new MatMulConv2d(builder(filters, kernel, padding, bias));
            reference.initialize(manager, DataType.FLOAT32, input);
            block.initialize(manager, DataType.FLOAT32, input);
            // the same weights through the checkpoint format: a Conv2d's saved parameters load into the block
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            reference.saveParameters(new DataOutputStream(saved));
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            block.getParameters().forEach(pair -> pair.getValue().getArray().setRequiresGradient(true));
            assertThat(block.getParameters().get("weight").getArray().toFloatArray())
                    .containsExactly(reference.getParameters().get("weight").getArray().toFloatArray());

            // the covering cases really take the product path
            assertThat(block.coversInput(input)).isEqualTo(padding == 0 && size == kernel);
            NDArray x = manager.randomNormal(input);
            float[][] expected = run(reference, x, false, manager);
            float[][] actual = run(block, x, channelsLastInput, manager);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).hasSameSizeAs(expected[i]);
                for (int j = 0; j < expected[i].length; j++) {
                    assertThat((double) actual[i][j])
                            .as("output %d, element %d", i, j)
                            .isCloseTo(expected[i][j], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
            assertThat(block.getOutputShapes(new Shape[] {input})[0])
                    .isEqualTo(reference.getOutputShapes(new Shape[] {input})[0]);
        }
    }

    /** Output, gradient with respect to the input, and with respect to each parameter, for one upstream gradient. */
    private static float[][] run(Conv2d block, NDArray input, boolean channelsLast, NDManager manager) {
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = channelsLast ? MemoryFormat.toChannelsLast(input) : input.duplicate();
            x.attach(step);
            x.setRequiresGradient(true);
            NDArray y = block.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
            NDArray upstream = step.arange((float) y.getShape().size()).reshape(y.getShape()).div(10f);
            collector.backward(y.mul(upstream).sum());
            float[][] out = new float[2 + block.getParameters().size()][];
            out[0] = y.toFloatArray();
            out[1] = x.getGradient().toFloatArray();
            for (int i = 0; i < block.getParameters().size(); i++) {
                NDArray parameter = block.getParameters().valueAt(i).getArray();
                out[2 + i] = parameter.getGradient().toFloatArray();
                parameter.getGradient().subi(parameter.getGradient());
            }
            return out;
        }
    }

    @Test
    void weightDerivedArraysBelongToTheInputManager() {
        for (String format : new String[] {"channels-last", "contiguous"}) {
            System.setProperty(MemoryFormat.PROPERTY, format);
            try (NDManager weights = NDManager.newBaseManager();
                    NDManager step = NDManager.newBaseManager()) {
                MatMulConv2d block = new MatMulConv2d(builder(1, 4, 0, true));
                block.initialize(weights, DataType.FLOAT32, new Shape(2, 3, 4, 4));
                int before = weights.getManagedArrays().size();
                NDArray y =
                        block.forward(new ParameterStore(step, false), new NDList(step.ones(new Shape(2, 3, 4, 4))), false)
                                .singletonOrThrow();
                assertThat(weights.getManagedArrays()).as(format).hasSize(before);
                assertThat(y.getManager()).isSameAs(step);
            }
        }
    }
}
