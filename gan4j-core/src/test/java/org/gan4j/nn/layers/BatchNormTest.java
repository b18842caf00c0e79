package org.gan4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * gan4j's BatchNorm against DJL's: the same outputs, gradients and running statistics (bit for bit), the same
 * checkpoint format both ways, and an output that is not a view, so that an in-place activation after it makes no
 * copies in the backward pass.
 */
class BatchNormTest {

    private static final float MOMENTUM = 0.9f;
    private static final float EPSILON = 1e-5f;
    private static final Shape SHAPE = new Shape(4, 3, 5, 6);

    private static ai.djl.nn.norm.BatchNorm djl() {
        return ai.djl.nn.norm.BatchNorm.builder().optMomentum(MOMENTUM).optEpsilon(EPSILON).build();
    }

    @ParameterizedTest(name = "training {0}, channels-last {1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void sameAsDjlBatchNorm(boolean training, boolean channelsLast) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.nn.norm.BatchNorm reference = djl();
            BatchNorm norm = new BatchNorm(MOMENTUM, EPSILON);
            reference.initialize(manager, DataType.FLOAT32, SHAPE);
            norm.initialize(manager, DataType.FLOAT32, SHAPE);
            // the same non-trivial parameters and running statistics in both
            for (Block block : List.of(reference, norm)) {
                setAll(block, "gamma", 0.5f, 0.2f);
                setAll(block, "beta", -0.3f, 0.1f);
                setAll(block, "runningMean", 0.7f, -0.05f);
                setAll(block, "runningVar", 1.3f, 0.4f);
            }
            NDArray x = manager.randomNormal(3f, 2f, SHAPE, DataType.FLOAT32);
            NDArray upstream = manager.randomNormal(SHAPE);
            List<float[]> expected = pass(reference, x, upstream, training, channelsLast, manager);
            List<float[]> actual = pass(norm, x, upstream, training, channelsLast, manager);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i))
                        .as("array %d (output, input gradient, gamma, beta gradients, running mean, variance)", i)
                        .containsExactly(expected.get(i));
            }
        }
    }

    @Test
    void checkpointsLoadBothWays() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.nn.norm.BatchNorm reference = djl();
            reference.initialize(manager, DataType.FLOAT32, SHAPE);
            setAll(reference, "gamma", 1.5f, 0.25f);
            setAll(reference, "beta", 0.1f, 0.5f);
            setAll(reference, "runningMean", -1f, 2f);
            setAll(reference, "runningVar", 3f, 1f);
            BatchNorm norm = new BatchNorm(MOMENTUM, EPSILON);
            byte[] saved = save(reference);
            norm.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved)));
            for (String name : List.of("gamma", "beta", "runningMean", "runningVar")) {
                assertThat(values(norm, name)).as(name).containsExactly(values(reference, name));
            }
            assertThat(save(norm)).as("the same bytes as DJL's block writes").isEqualTo(saved);
            ai.djl.nn.norm.BatchNorm back = djl();
            back.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(save(norm))));
            assertThat(values(back, "runningVar")).containsExactly(values(reference, "runningVar"));
        }
    }

    /**
     * An in-place LeakyReLU after DJL's batch norm acts on a view (DJL swaps axes 1 and 1 around libtorch's batch
     * norm), and autograd then copies the whole gradient to rebuild it ({@code CopySlices}, {@code AsStridedBackward0}
     * in libtorch's profile); after gan4j's block it acts on libtorch's output itself and nothing is copied.
     */
    @Test
    void inPlaceActivationAfterItCopiesNothingInTheBackwardPass(@TempDir Path dir) throws Exception {
        assertThat(backwardOperators(djl(), dir.resolve("djl.json"))).contains("CopySlices");
        String operators = backwardOperators(new BatchNorm(MOMENTUM, EPSILON), dir.resolve("gan4j.json"));
        assertThat(operators).contains("leaky_relu_").doesNotContain("CopySlices").doesNotContain("AsStrided");
    }

    private static String backwardOperators(Block norm, Path trace) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            norm.initialize(manager, DataType.FLOAT32, SHAPE);
            NDArray x = MemoryFormat.toChannelsLast(manager.randomNormal(SHAPE));
            x.setRequiresGradient(true);
            JniUtils.startProfile(false, false, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ParameterStore store = new ParameterStore(manager, false);
                // times a native 1, not mul(1f): autograd would keep DJL's Java-owned scalar after DJL freed it
                NDArray y = norm.forward(store, new NDList(x.mul(manager.ones(new Shape()))), true).singletonOrThrow();
                NDArray z = Activation.LEAKY_RELU.applyInPlace(y);
                collector.backward(z.mul(manager.randomNormal(SHAPE)).sum());
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            assertThat(x.getGradient().getShape()).isEqualTo(SHAPE);
        }
        return Files.readString(trace, StandardCharsets.UTF_8);
    }

    private static List<float[]> pass(
            Block norm, NDArray x0, NDArray upstream, boolean training, boolean channelsLast, NDManager manager) {
        List<float[]> out = new ArrayList<>();
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = x0.duplicate();
            x.attach(step);
            x.setRequiresGradient(true);
            // a non-leaf copy; times a native 1, not mul(1f) (BinaryCrossEntropyGcTest)
            NDArray input = channelsLast ? MemoryFormat.toChannelsLast(x) : x.mul(step.ones(new Shape()));
            NDArray y = norm.forward(new ParameterStore(step, false), new NDList(input), training).singletonOrThrow();
            collector.backward(y.mul(upstream).sum());
            out.add(y.toFloatArray());
            out.add(x.getGradient().toFloatArray());
            for (String name : List.of("gamma", "beta")) {
                NDArray gradient = norm.getParameters().get(name).getArray().getGradient();
                out.add(gradient.toFloatArray());
                gradient.subi(gradient);
            }
            out.add(values(norm, "runningMean"));
            out.add(values(norm, "runningVar"));
        }
        return out;
    }

    private static void setAll(Block block, String name, float start, float step) {
        Parameter parameter = block.getParameters().get(name);
        NDArray array = parameter.getArray();
        float[] values = new float[Math.toIntExact(array.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = start + step * i;
        }
        array.set(values);
    }

    private static float[] values(Block block, String name) {
        return block.getParameters().get(name).getArray().toFloatArray();
    }

    private static byte[] save(Block block) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }
}
