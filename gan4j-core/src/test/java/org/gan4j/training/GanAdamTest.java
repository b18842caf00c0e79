package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.config.TrainingConfig.OptimizerConfig;
import org.gan4j.nn.layers.MemoryFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GanAdamTest {

    /** y = x·w with w of size n (no bias): the gradient of sum(y) with respect to w is x. */
    private static Block linear(NDManager manager, float[] weights) {
        Block block = Linear.builder().setUnits(1).optBias(false).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, weights.length));
        block.getParameters().get(0).getValue().getArray().set(weights);
        return block;
    }

    private static void backward(Block block, NDManager manager, float[] gradient) {
        NDArray x = manager.create(gradient, new Shape(1, gradient.length));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            collector.backward(y.sum());
        }
    }

    /** torch.optim.Adam, in double precision. */
    private static double[] torchAdam(double[] w, double[][] gradients, OptimizerConfig c) {
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[] weights = w.clone();
        for (int t = 1; t <= gradients.length; t++) {
            for (int i = 0; i < w.length; i++) {
                double g = gradients[t - 1][i];
                m[i] = c.beta1() * m[i] + (1 - c.beta1()) * g;
                v[i] = c.beta2() * v[i] + (1 - c.beta2()) * g * g;
                double mHat = m[i] / (1 - Math.pow(c.beta1(), t));
                double vHat = v[i] / (1 - Math.pow(c.beta2(), t));
                weights[i] -= c.learningRate() * mHat / (Math.sqrt(vHat) + c.epsilon());
            }
        }
        return weights;
    }

    @ParameterizedTest
    @EnumSource(GanAdam.Update.class)
    void matchesTorchAdamIncludingTinyGradientsWhereEpsilonMatters(GanAdam.Update update) {
        OptimizerConfig config = new OptimizerConfig(0.01, 0.5, 0.999, 1e-8);
        float[] initial = {0.5f, -1f, 2f};
        // the third coordinate's gradients (1e-9) are below epsilon: DJL's stock Adam would differ from PyTorch here
        double[][] gradients = {{0.1, -2, 1e-9}, {0.3, 1, -1e-9}, {-0.2, 0.5, 2e-9}, {0.05, -0.1, 1e-9}};
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = linear(manager, initial);
            GanAdam adam = new GanAdam(config, block.getParameters(), update);
            for (double[] g : gradients) {
                backward(block, manager, toFloats(g));
                adam.step();
            }
            float[] actual = block.getParameters().get(0).getValue().getArray().toFloatArray();
            double[] expected = torchAdam(toDoubles(initial), gradients, config);
            for (int i = 0; i < actual.length; i++) {
                assertThat((double) actual[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(2e-6));
            }
            assertThat(adam.updates()).isEqualTo(4);
            // DJL's libtorch 2.7.1 has the fused kernel on the CPU: no silent fallback
            assertThat(adam.effectiveUpdate()).isEqualTo(update);
        }
    }

    /**
     * A first step with a gradient far above ε moves each weight by the learning rate times the sign of its gradient,
     * to float rounding. DJL's per-parameter update gets β1 and β2 as floats: 1 − 0.999f is 1.3e-5 below 0.001, which
     * made its every step 6.4e-6 too long (-3.00002 here after three), a hundred times float rounding and a systematic drift
     * from torch.optim.Adam (seen against PyTorch on the d2l toy, lr_D 0.05).
     */
    @ParameterizedTest
    @EnumSource(GanAdam.Update.class)
    void stepLengthIsExactlyTorchsDespiteFloatBetas(GanAdam.Update update) {
        OptimizerConfig config = new OptimizerConfig(1.0, 0.9, 0.999, 1e-8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = linear(manager, new float[] {0f, 0f});
            GanAdam adam = new GanAdam(config, block.getParameters(), update);
            double[][] gradients = {{1, -3}, {1, -3}, {1, -3}};
            for (double[] g : gradients) {
                backward(block, manager, toFloats(g));
                adam.step();
            }
            float[] actual = block.getParameters().get(0).getValue().getArray().toFloatArray();
            double[] expected = torchAdam(new double[] {0, 0}, gradients, config);
            // a constant gradient: each of the 3 steps is lr · g / (|g| + ε), 1 − 1e-8 in size
            assertThat(expected[0]).isCloseTo(-3, within(1e-7));
            for (int i = 0; i < actual.length; i++) {
                assertThat((double) actual[i]).as("weight %d", i).isCloseTo(expected[i], within(1e-6));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GanAdam.Update.class)
    void stepZeroesTheGradient(GanAdam.Update update) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = linear(manager, new float[] {1f, 2f});
            GanAdam adam = new GanAdam(new OptimizerConfig(0.1, 0.9, 0.999, 1e-8), block.getParameters(), update);
            backward(block, manager, new float[] {3f, 4f});
            adam.step();
            try (NDArray gradient = block.getParameters().get(0).getValue().getArray().getGradient()) {
                assertThat(gradient.toFloatArray()).containsExactly(0f, 0f);
            }
        }
    }

    /** Many parameters of several shapes over many steps: the three formulations agree to float rounding. */
    @Test
    void formulationsAgreeOnAMultiParameterBlock() {
        OptimizerConfig config = new OptimizerConfig(2e-4, 0.5, 0.999, 1e-8);
        float[][] results = new float[GanAdam.Update.values().length][];
        for (GanAdam.Update update : GanAdam.Update.values()) {
            try (NDManager manager = NDManager.newBaseManager()) {
                manager.getEngine().setRandomSeed(7);
                Block block =
                        new ai.djl.nn.SequentialBlock()
                                .add(Linear.builder().setUnits(16).build())
                                .add(ai.djl.nn.Activation::tanh)
                                .add(Linear.builder().setUnits(3).build());
                block.initialize(manager, DataType.FLOAT32, new Shape(4, 5));
                GanAdam adam = new GanAdam(config, block.getParameters(), update);
                for (int t = 0; t < 30; t++) {
                    NDArray x = manager.randomNormal(new Shape(4, 5));
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray y =
                                block.forward(new ParameterStore(manager, false), new NDList(x), true)
                                        .singletonOrThrow();
                        collector.backward(y.square().sum());
                    }
                    adam.step();
                }
                NDList all = new NDList();
                block.getParameters().forEach(pair -> all.add(pair.getValue().getArray().flatten()));
                results[update.ordinal()] = NDArrays.concat(all).toFloatArray();
            }
        }
        for (int u = 1; u < results.length; u++) {
            assertThat(results[u]).hasSameSizeAs(results[0]);
            for (int i = 0; i < results[0].length; i++) {
                assertThat(results[u][i]).isCloseTo(results[0][i], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }

    @Test
    void unknownFormulationInTheSystemPropertyIsAClearError() {
        String before = System.getProperty("gan4j.adam");
        System.setProperty("gan4j.adam", "lion");
        try {
            assertThatThrownBy(GanAdam::configuredUpdate)
                    .isInstanceOf(Gan4jException.class)
                    .hasMessageContaining("gan4j.adam")
                    .hasMessageContaining("lion");
        } finally {
            if (before == null) {
                System.clearProperty("gan4j.adam");
            } else {
                System.setProperty("gan4j.adam", before);
            }
        }
        if (before == null) {
            assertThat(GanAdam.configuredUpdate()).isEqualTo(GanAdam.Update.FUSED);
        }
    }

    @Test
    void savedStateContinuesBitForBit() throws IOException {
        OptimizerConfig config = new OptimizerConfig(0.05, 0.8, 0.99, 1e-8);
        float[][] gradients = {{1f, -1f}, {0.5f, 2f}, {-0.25f, 0.75f}, {2f, 0.1f}};
        try (NDManager manager = NDManager.newBaseManager()) {
            Block straight = linear(manager, new float[] {0.3f, -0.7f});
            GanAdam straightAdam = new GanAdam(config, straight.getParameters());
            for (float[] g : gradients) {
                backward(straight, manager, g);
                straightAdam.step();
            }

            Block first = linear(manager, new float[] {0.3f, -0.7f});
            GanAdam firstAdam = new GanAdam(config, first.getParameters());
            for (int i = 0; i < 2; i++) {
                backward(first, manager, gradients[i]);
                firstAdam.step();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            firstAdam.save(new DataOutputStream(bytes));
            float[] weightsAtTwo = first.getParameters().get(0).getValue().getArray().toFloatArray();

            Block resumed = linear(manager, weightsAtTwo);
            GanAdam resumedAdam = new GanAdam(config, resumed.getParameters());
            resumedAdam.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "test");
            for (int i = 2; i < gradients.length; i++) {
                backward(resumed, manager, gradients[i]);
                resumedAdam.step();
            }
            assertThat(resumed.getParameters().get(0).getValue().getArray().toFloatArray())
                    .containsExactly(straight.getParameters().get(0).getValue().getArray().toFloatArray());
            assertThat(resumedAdam.updates()).isEqualTo(4);
        }
    }

    /**
     * A convolution weight stored channels-last (as the trainer stores DCGAN weights on the CPU) gets the update of the
     * same weight stored plain, with each formulation (to float rounding: the fused kernel's vector loop and scalar tail
     * meet other elements in the other memory order), its saved state resumes bit for bit in its own layout, and it
     * resumes a plain weight too. The fused kernel walks parameter, gradient and moments in memory order: moments left
     * plain (DJL's zerosLike) held the parameter's memory order under plain strides, so the saved state was scrambled.
     */
    @ParameterizedTest
    @EnumSource(GanAdam.Update.class)
    void channelsLastWeightGetsThePlainWeightsUpdate(GanAdam.Update update) throws IOException {
        OptimizerConfig config = new OptimizerConfig(0.05, 0.8, 0.99, 1e-8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block plain = convolution(manager, null, false);
            Block channelsLast = convolution(manager, null, true);
            GanAdam plainAdam = new GanAdam(config, plain.getParameters(), update);
            GanAdam channelsLastAdam = new GanAdam(config, channelsLast.getParameters(), update);
            for (int t = 0; t < 3; t++) {
                convolutionBackward(plain, manager, t);
                plainAdam.step();
                convolutionBackward(channelsLast, manager, t);
                channelsLastAdam.step();
            }
            assertThat(weights(channelsLast)).containsExactly(weights(plain), within(1e-6f));

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            channelsLastAdam.save(new DataOutputStream(bytes));
            Block resumedChannelsLast = convolution(manager, weights(channelsLast), true);
            GanAdam resumedChannelsLastAdam = new GanAdam(config, resumedChannelsLast.getParameters(), update);
            resumedChannelsLastAdam.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "test");
            Block resumedPlain = convolution(manager, weights(channelsLast), false);
            GanAdam resumedPlainAdam = new GanAdam(config, resumedPlain.getParameters(), update);
            resumedPlainAdam.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "test");
            for (int t = 3; t < 6; t++) {
                for (Block block : List.of(plain, channelsLast, resumedChannelsLast, resumedPlain)) {
                    convolutionBackward(block, manager, t);
                }
                plainAdam.step();
                channelsLastAdam.step();
                resumedChannelsLastAdam.step();
                resumedPlainAdam.step();
            }
            assertThat(weights(resumedChannelsLast)).containsExactly(weights(channelsLast));
            assertThat(weights(resumedPlain)).containsExactly(weights(plain), within(1e-6f));
            assertThat(weights(channelsLast)).containsExactly(weights(plain), within(1e-6f));
        }
    }

    /**
     * The trainer's path: gradients returned by {@code torch.autograd.grad} (two losses, the second added as a second
     * backward pass adds to {@code .grad}), never stored in {@code .grad}. The same updates, bit for bit, as two
     * backward passes into {@code .grad} and {@link GanAdam#step()}, for a channels-last weight (the fused kernel walks
     * parameter and gradient in memory order, so a gradient in another layout would scramble the update) and a plain
     * one; {@code .grad} stays untouched.
     */
    @SuppressWarnings("try") // the collectors only turn gradient recording on
    @ParameterizedTest
    @EnumSource(GanAdam.Update.class)
    void explicitGradientsGiveTheUpdateOfTwoBackwardPassesBitForBit(GanAdam.Update update) {
        OptimizerConfig config = new OptimizerConfig(0.05, 0.8, 0.99, 1e-8);
        for (boolean channelsLast : new boolean[] {true, false}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block viaGrad = convolution(manager, null, channelsLast);
                Block explicit = convolution(manager, null, channelsLast);
                GanAdam viaGradAdam = new GanAdam(config, viaGrad.getParameters(), update);
                GanAdam explicitAdam = new GanAdam(config, explicit.getParameters(), update);
                for (int t = 0; t < 4; t++) {
                    convolutionBackward(viaGrad, manager, t);
                    convolutionBackward(viaGrad, manager, t + 10);
                    viaGradAdam.step();
                    try (NDManager step = manager.newSubManager();
                            GradientCollector recording = Engine.getInstance().newGradientCollector()) {
                        try (GanAdam.Gradients gradients =
                                explicitAdam.gradients(convolutionLoss(explicit, step, t))) {
                            explicitAdam.accumulate(gradients, convolutionLoss(explicit, step, t + 10));
                            explicitAdam.step(gradients, null);
                        }
                    }
                }
                assertThat(weights(explicit)).as("channels-last %s", channelsLast).containsExactly(weights(viaGrad));
                try (NDArray gradient = explicit.getParameters().get(0).getValue().getArray().getGradient()) {
                    assertThat(gradient.abs().max().getFloat()).as(".grad of the explicit path").isZero();
                }
            }
        }
    }

    /**
     * A weight used transposed in a product with a plain array gets a transposed (non-contiguous) gradient from
     * autograd. {@code .grad} would hold a
     * plain copy; the explicit gradients are laid out like the parameter too, so the fused kernel, which reads memory
     * in order, gives the same update.
     */
    @SuppressWarnings("try") // the collectors only turn gradient recording on
    @ParameterizedTest
    @EnumSource(GanAdam.Update.class)
    void aGradientInAnotherLayoutIsLaidOutLikeItsParameter(GanAdam.Update update) {
        OptimizerConfig config = new OptimizerConfig(0.05, 0.8, 0.99, 1e-8);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] initial = new float[3 * 5];
            for (int i = 0; i < initial.length; i++) {
                initial[i] = (float) Math.sin(i * 1.3);
            }
            Block viaGrad = linear3(manager, initial);
            Block explicit = linear3(manager, initial);
            GanAdam viaGradAdam = new GanAdam(config, viaGrad.getParameters(), update);
            GanAdam explicitAdam = new GanAdam(config, explicit.getParameters(), update);
            for (int t = 0; t < 3; t++) {
                try (NDManager step = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(transposedLoss(viaGrad, step, t));
                }
                viaGradAdam.step();
                try (NDManager step = manager.newSubManager();
                        GradientCollector recording = Engine.getInstance().newGradientCollector()) {
                    try (GanAdam.Gradients gradients = explicitAdam.gradients(transposedLoss(explicit, step, t))) {
                        explicitAdam.step(gradients, null);
                    }
                }
            }
            assertThat(weights(explicit)).containsExactly(weights(viaGrad));
        }
    }

    /** A 5 → 3 linear map's weight (3 × 5), set to the given values. */
    private static Block linear3(NDManager manager, float[] weights) {
        Block block = Linear.builder().setUnits(3).optBias(false).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 5));
        block.getParameters().get(0).getValue().getArray().set(weights);
        return block;
    }

    /** sum(x ⊙ wᵀ) for a fixed 5 × 3 x: autograd returns the weight's gradient as xᵀ, a transposed view. */
    private static NDArray transposedLoss(Block block, NDManager step, int t) {
        NDArray w = block.getParameters().get(0).getValue().getArray();
        float[] x = new float[5 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i * 0.9 + t);
        }
        return step.create(x, new Shape(5, 3)).mul(w.transpose()).sum();
    }

    /** The gradients of two losses, summed by accumulate(), equal those of their sum's backward pass. */
    @SuppressWarnings("try") // the collectors only turn gradient recording on
    @Test
    void accumulatedGradientsAreThoseOfTheSum() {
        OptimizerConfig config = new OptimizerConfig(0.05, 0.8, 0.99, 1e-8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = convolution(manager, null, true);
            GanAdam adam = new GanAdam(config, block.getParameters());
            float[] summed;
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(convolutionLoss(block, step, 1).add(convolutionLoss(block, step, 2)));
                try (NDArray gradient = block.getParameters().get(0).getValue().getArray().getGradient()) {
                    summed = gradient.toFloatArray();
                }
            }
            try (NDManager step = manager.newSubManager();
                    GradientCollector recording = Engine.getInstance().newGradientCollector()) {
                try (GanAdam.Gradients gradients = adam.gradients(convolutionLoss(block, step, 1))) {
                    adam.accumulate(gradients, convolutionLoss(block, step, 2));
                    assertThat(gradients.values().get(0)).containsExactly(summed, within(1e-5f));
                    assertThat(gradients.values().get(0)).isNotEqualTo(new float[summed.length]);
                }
            }
        }
    }

    /**
     * A 3×3 convolution from 4 to 5 channels with the given weights (null: the same fixed ones each time), its weight
     * stored channels-last or plain.
     */
    private static Block convolution(NDManager manager, float[] weights, boolean channelsLast) {
        Block block =
                ai.djl.nn.convolutional.Conv2d.builder()
                        .setFilters(5)
                        .setKernelShape(new Shape(3, 3))
                        .optBias(false)
                        .build();
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 6, 6));
        float[] w = weights;
        if (w == null) {
            w = new float[5 * 4 * 3 * 3];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.sin(i * 0.7);
            }
        }
        NDArray array = block.getParameters().get(0).getValue().getArray();
        array.set(w);
        if (channelsLast) {
            MemoryFormat.toWeightLayout(array);
        }
        return block;
    }

    /** Backward of a weighted sum of the convolution of a fixed input (a function of t): a gradient per element. */
    private static void convolutionBackward(Block block, NDManager manager, int t) {
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(convolutionLoss(block, step, t));
        }
    }

    /** A weighted sum of the convolution of a fixed input (a function of t), recorded for the backward pass. */
    private static NDArray convolutionLoss(Block block, NDManager step, int t) {
        float[] x = new float[2 * 4 * 6 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i * 0.37 + t);
        }
        NDArray input = step.create(x, new Shape(2, 4, 6, 6));
        NDArray y = block.forward(new ParameterStore(step, false), new NDList(input), true).singletonOrThrow();
        return y.mul(step.arange(y.size()).reshape(y.getShape()).div(100f)).sum();
    }

    private static float[] weights(Block block) {
        return block.getParameters().get(0).getValue().getArray().toFloatArray();
    }

    @Test
    void refusesStateOfADifferentArchitecture() throws IOException {
        OptimizerConfig config = new OptimizerConfig(0.05, 0.8, 0.99, 1e-8);
        try (NDManager manager = NDManager.newBaseManager()) {
            GanAdam small = new GanAdam(config, linear(manager, new float[] {1f, 2f}).getParameters());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            small.save(new DataOutputStream(bytes));
            GanAdam large = new GanAdam(config, linear(manager, new float[] {1f, 2f, 3f}).getParameters());
            assertThatThrownBy(
                            () -> large.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "ckpt"))
                    .isInstanceOf(Gan4jException.class)
                    .hasMessageContaining("ckpt")
                    .hasMessageContaining("does not match");
        }
    }

    private static float[] toFloats(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    private static double[] toDoubles(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }
}
