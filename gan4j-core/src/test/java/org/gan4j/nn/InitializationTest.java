package org.gan4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.nn.layers.TransposedConv2d;
import org.junit.jupiter.api.Test;

/** Statistics and determinism of the seeded initialization schemes. */
class InitializationTest {

    /** Linear 100 → 400 (40 000 weights), batch norm over 400 features, transposed convolution 400 → 8, k4. */
    private static SequentialBlock network() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(400).build())
                .add(BatchNorm.builder().build())
                .add(x -> new ai.djl.ndarray.NDList(x.singletonOrThrow().reshape(-1, 400, 1, 1)), "to_map")
                .add(TransposedConv2d.builder().setFilters(8).setKernelSize(4).optBias(true).build());
    }

    private static SequentialBlock initialized(NDManager manager) {
        SequentialBlock block = network();
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 100));
        return block;
    }

    @Test
    void dcganDrawsWeightsFromNormalWithStd002AndGammaAroundOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = initialized(manager);
            Initialization.dcgan(block, 42);
            float[] weights = values(block, "01Linear_weight");
            // 40 000 draws: the sample mean has standard error 1e-4, the sample std about 7e-5.
            assertThat(mean(weights)).isCloseTo(0, within(6e-4));
            assertThat(std(weights)).isCloseTo(0.02, within(5e-4));
            float[] gamma = values(block, "02BatchNorm_gamma");
            assertThat(mean(gamma)).isCloseTo(1, within(4e-3));
            assertThat(std(gamma)).isCloseTo(0.02, within(3e-3));
            assertThat(values(block, "01Linear_bias")).containsOnly(0f);
            assertThat(values(block, "02BatchNorm_beta")).containsOnly(0f);
            assertThat(values(block, "02BatchNorm_runningMean")).containsOnly(0f);
            assertThat(values(block, "02BatchNorm_runningVar")).containsOnly(1f);
            assertThat(values(block, "04TransposedConv2d_bias")).containsOnly(0f);
            float[] transposed = values(block, "04TransposedConv2d_weight");
            assertThat(std(transposed)).isCloseTo(0.02, within(1e-3));
        }
    }

    @Test
    void normalDrawsWeightsWithTheGivenStdAndZeroesBiases() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = initialized(manager);
            Initialization.normal(block, 3, 0.05);
            float[] weights = values(block, "01Linear_weight");
            assertThat(mean(weights)).isCloseTo(0, within(1.5e-3));
            assertThat(std(weights)).isCloseTo(0.05, within(1.2e-3));
            assertThat(std(values(block, "04TransposedConv2d_weight"))).isCloseTo(0.05, within(2.5e-3));
            assertThat(values(block, "01Linear_bias")).containsOnly(0f);
            assertThat(values(block, "04TransposedConv2d_bias")).containsOnly(0f);
            assertThat(values(block, "02BatchNorm_gamma")).containsOnly(1f);
            assertThat(values(block, "02BatchNorm_beta")).containsOnly(0f);
            assertThatThrownBy(() -> Initialization.normal(block, 3, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** d2l's toy: nn.init.normal_(w, 0, 0.02) over every parameter, the biases too; the weights stay the same. */
    @Test
    void normalWithBiasesDrawsTheBiasesTooAndKeepsTheWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock zero = initialized(manager);
            Initialization.normal(zero, 3, 0.05);
            SequentialBlock normal = initialized(manager);
            Initialization.normal(normal, 3, 0.05, true);
            assertThat(values(normal, "01Linear_weight")).isEqualTo(values(zero, "01Linear_weight"));
            float[] biases = values(normal, "01Linear_bias");
            assertThat(biases).hasSize(400);
            assertThat(std(biases)).isCloseTo(0.05, within(6e-3));
            assertThat(mean(biases)).isCloseTo(0, within(8e-3));
            assertThat(std(values(normal, "04TransposedConv2d_bias"))).isPositive();
            assertThat(values(normal, "02BatchNorm_gamma")).containsOnly(1f);
            assertThat(values(normal, "02BatchNorm_beta")).containsOnly(0f);
        }
    }

    @Test
    void pytorchDefaultIsUniformOverPlusMinusOneOverSqrtFanIn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = initialized(manager);
            Initialization.pytorchDefault(block, 7);
            double linearBound = 1 / Math.sqrt(100);
            float[] weights = values(block, "01Linear_weight");
            assertUniform(weights, linearBound);
            float[] bias = values(block, "01Linear_bias");
            assertThat(max(bias)).isLessThanOrEqualTo(linearBound);
            assertThat(max(bias)).isGreaterThan(0.8 * linearBound);
            // A transposed convolution's fan_in is, as in PyTorch, weight.size(1)·k·k = Cout·k·k = 8·16.
            double transposedBound = 1 / Math.sqrt(8 * 16);
            assertUniform(values(block, "04TransposedConv2d_weight"), transposedBound);
            assertThat(max(values(block, "04TransposedConv2d_bias"))).isLessThanOrEqualTo(transposedBound);
            assertThat(values(block, "02BatchNorm_gamma")).containsOnly(1f);
            assertThat(values(block, "02BatchNorm_beta")).containsOnly(0f);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndOtherSeedsDiffer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock first = initialized(manager);
            SequentialBlock second = initialized(manager);
            SequentialBlock third = initialized(manager);
            Initialization.dcgan(first, 5);
            Initialization.dcgan(second, 5);
            Initialization.dcgan(third, 6);
            assertThat(all(first)).isEqualTo(all(second));
            assertThat(values(first, "01Linear_weight")).isNotEqualTo(values(third, "01Linear_weight"));
            Initialization.pytorchDefault(first, 5);
            Initialization.pytorchDefault(second, 5);
            assertThat(all(first)).isEqualTo(all(second));
        }
    }

    @Test
    void refusesUninitializedBlocks() {
        assertThatThrownBy(() -> Initialization.dcgan(network(), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("initialize");
    }

    @Test
    void fanInMultipliesEverythingAfterTheFirstAxis() {
        assertThat(Initialization.fanIn(new Shape(5, 3))).isEqualTo(3);
        assertThat(Initialization.fanIn(new Shape(64, 3, 4, 4))).isEqualTo(48);
    }

    private static void assertUniform(float[] values, double bound) {
        assertThat(max(values)).isLessThanOrEqualTo(bound);
        assertThat(max(values)).isGreaterThan(0.99 * bound);
        assertThat(mean(values)).isCloseTo(0, within(0.05 * bound));
        assertThat(std(values)).isCloseTo(bound / Math.sqrt(3), within(0.03 * bound));
    }

    private static float[] values(Block block, String name) {
        return block.getParameters().get(name).getArray().toFloatArray();
    }

    /** Every parameter of the block, concatenated in parameter-list order. */
    private static float[] all(Block block) {
        List<Float> all = new ArrayList<>();
        block.getParameters().forEach(pair -> {
            for (float v : pair.getValue().getArray().toFloatArray()) {
                all.add(v);
            }
        });
        float[] values = new float[all.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = all.get(i);
        }
        return values;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double std(float[] values) {
        double mean = mean(values);
        double sum = 0;
        for (float v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / values.length);
    }

    private static double max(float[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
