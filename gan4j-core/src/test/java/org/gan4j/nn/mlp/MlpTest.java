package org.gan4j.nn.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.nn.Activation;
import org.junit.jupiter.api.Test;

/** The fully connected generator and discriminator, including d2l's toy presets and maxout. */
class MlpTest {

    @Test
    void textbookGeneratorIsOneLinearLayerTwoToTwo() {
        MlpGenerator generator = MlpGenerator.textbook();
        try (NDManager manager = NDManager.newBaseManager()) {
            generator.initialize(manager, DataType.FLOAT32, new Shape(3, 2));
            assertThat(shapes(generator)).containsExactly(new Shape(2, 2), new Shape(2));
            NDArray out = forward(generator, manager, manager.zeros(new Shape(3, 2)));
            assertThat(out.getShape()).isEqualTo(new Shape(3, 2));
        }
    }

    @Test
    void textbookDiscriminatorIsTwoFiveThreeOneWithTanh() {
        MlpDiscriminator discriminator = MlpDiscriminator.textbook();
        try (NDManager manager = NDManager.newBaseManager()) {
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            assertThat(shapes(discriminator))
                    .containsExactly(
                            new Shape(5, 2), new Shape(5), new Shape(3, 5), new Shape(3), new Shape(1, 3), new Shape(1));
            // All weights 0.1 and biases 0: h1 = tanh(0.1·(x1 + x2)) ×5, h2 = tanh(0.5·0.1·… ) ×3, D = 0.3·h2.
            discriminator.getParameters().forEach(pair -> pair.getValue().getArray().set(
                    filled((int) pair.getValue().getShape().size(), pair.getKey().endsWith("weight") ? 0.1f : 0f)));
            NDArray out = forward(discriminator, manager, manager.create(new float[] {1f, 2f}, new Shape(1, 2)));
            double h1 = Math.tanh(0.1 * 3);
            double h2 = Math.tanh(0.1 * 5 * h1);
            assertThat(out.getShape()).isEqualTo(new Shape(1, 1));
            assertThat((double) out.getFloat(0, 0)).isCloseTo(0.1 * 3 * h2, within(1e-6));
        }
    }

    @Test
    void maxoutTakesTheLargestPieceOfEachUnit() {
        MlpDiscriminator discriminator =
                MlpDiscriminator.builder().setInputSize(1).optHidden(List.of(2)).optMaxoutPieces(2).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(2, 1));
            assertThat(shapes(discriminator)).containsExactly(new Shape(4, 1), new Shape(4), new Shape(1, 2), new Shape(1));
            List<NDArray> arrays = new ArrayList<>();
            discriminator.getParameters().forEach(pair -> arrays.add(pair.getValue().getArray()));
            // Pieces of unit 0: (x, −x); of unit 1: (2x, −2x). Output = max(x, −x) + max(2x, −2x) = 3|x|.
            arrays.get(0).set(new float[] {1, -1, 2, -2});
            arrays.get(1).set(new float[4]);
            arrays.get(2).set(new float[] {1, 1});
            arrays.get(3).set(new float[1]);
            NDArray out = forward(discriminator, manager, manager.create(new float[] {1.5f, -2f}, new Shape(2, 1)));
            assertThat(out.toFloatArray()).containsExactly(4.5f, 6f);
        }
    }

    @Test
    void discriminatorFlattensImagesAndAcceptsPackedInput() {
        MlpDiscriminator discriminator =
                MlpDiscriminator.builder().setInputSize(4).optHidden(List.of(3)).optPacking(2).build();
        assertThat(discriminator.getPacking()).isEqualTo(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(3, 2, 2, 2));
            assertThat(shapes(discriminator).get(0)).isEqualTo(new Shape(3, 8));
            NDArray out = forward(discriminator, manager, manager.ones(new Shape(3, 2, 2, 2)));
            assertThat(out.getShape()).isEqualTo(new Shape(3, 1));
        }
    }

    @Test
    void generatorWithBatchNormAndOutputShapeMakesImagesInRange() {
        MlpGenerator generator =
                MlpGenerator.builder()
                        .setLatentSize(3)
                        .setOutputSize(4)
                        .optHidden(List.of(5))
                        .optActivation(Activation.LEAKY_RELU)
                        .optBatchNorm(true)
                        .optOutputActivation(Activation.TANH)
                        .optOutputShape(new Shape(1, 2, 2))
                        .build();
        assertThat(generator.getChildren().values()).filteredOn(BatchNorm.class::isInstance).hasSize(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            generator.initialize(manager, DataType.FLOAT32, new Shape(4, 3));
            // The linear layer before batch norm has no bias.
            assertThat(shapes(generator))
                    .containsExactly(
                            new Shape(5, 3), new Shape(5), new Shape(5), new Shape(5), new Shape(5), new Shape(4, 5),
                            new Shape(4));
            NDArray out = forward(generator, manager, manager.randomNormal(new Shape(4, 3)).mul(10));
            assertThat(out.getShape()).isEqualTo(new Shape(4, 1, 2, 2));
            assertThat(out.abs().max().getFloat()).isLessThanOrEqualTo(1f);
        }
    }

    @Test
    void invalidSettingsFailAtBuildTime() {
        assertThatThrownBy(() -> MlpGenerator.builder().setLatentSize(2).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("output size");
        assertThatThrownBy(() -> MlpGenerator.builder().setLatentSize(2).setOutputSize(4).optHidden(List.of(3, 0)).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("[3, 0]");
        assertThatThrownBy(() -> MlpGenerator.builder().setLatentSize(2).setOutputSize(4).optOutputShape(new Shape(5)).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("(5)");
        assertThatThrownBy(() -> MlpDiscriminator.builder().setInputSize(2).optMaxoutPieces(-1).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> MlpDiscriminator.builder().setInputSize(2).optPacking(0).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("packing");
    }

    private static NDArray forward(Block block, NDManager manager, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
    }

    private static List<Shape> shapes(Block block) {
        List<Shape> shapes = new ArrayList<>();
        block.getParameters().forEach(pair -> shapes.add(pair.getValue().getShape()));
        return shapes;
    }

    private static float[] filled(int size, float value) {
        float[] values = new float[size];
        java.util.Arrays.fill(values, value);
        return values;
    }
}
