package org.gan4j.nn.dcgan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.nn.Initialization;
import org.gan4j.nn.layers.BatchNorm;
import org.gan4j.nn.layers.TransposedConv2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Shapes, layer placement and training-mode behaviour of the DCGAN generator and discriminator. */
class DcganTest {

    @ParameterizedTest(name = "size {0}, channels {1}")
    @CsvSource({"28,1", "28,3", "32,1", "32,3", "64,1", "64,3", "128,1", "128,3"})
    void generatorAndDiscriminatorHaveTheDocumentedShapes(int size, int channels) {
        DcganGenerator generator =
                DcganGenerator.builder().setImageSize(size).setChannels(channels).optLatentSize(8).optFeatures(4).build();
        DcganDiscriminator discriminator =
                DcganDiscriminator.builder().setImageSize(size).setChannels(channels).optFeatures(4).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            generator.initialize(manager, DataType.FLOAT32, new Shape(2, 8));
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(2, channels, size, size));
            Initialization.dcgan(generator, 1);
            Initialization.dcgan(discriminator, 2);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray fake =
                    generator.forward(store, new NDList(manager.randomNormal(new Shape(2, 8))), true).singletonOrThrow();
            assertThat(fake.getShape()).isEqualTo(new Shape(2, channels, size, size));
            assertThat(fake.abs().max().getFloat()).isLessThanOrEqualTo(1f).isGreaterThan(0f);
            NDArray logits = discriminator.forward(store, new NDList(fake), true).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 1));
            assertThat(generator.getOutputShapes(new Shape[] {new Shape(2, 8)})[0])
                    .isEqualTo(new Shape(2, channels, size, size));
            assertThat(discriminator.getOutputShapes(new Shape[] {new Shape(2, channels, size, size)})[0])
                    .isEqualTo(new Shape(2, 1));
        }
    }

    @Test
    void size64MatchesPytorchExamplesParameterShapes() {
        DcganGenerator generator = DcganGenerator.builder().setImageSize(64).setChannels(3).build();
        DcganDiscriminator discriminator = DcganDiscriminator.builder().setImageSize(64).setChannels(3).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            generator.initialize(manager, DataType.FLOAT32, new Shape(1, 100));
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            assertThat(weightShapes(generator))
                    .containsExactly(
                            new Shape(100, 512, 4, 4),
                            new Shape(512, 256, 4, 4),
                            new Shape(256, 128, 4, 4),
                            new Shape(128, 64, 4, 4),
                            new Shape(64, 3, 4, 4));
            assertThat(weightShapes(discriminator))
                    .containsExactly(
                            new Shape(64, 3, 4, 4),
                            new Shape(128, 64, 4, 4),
                            new Shape(256, 128, 4, 4),
                            new Shape(512, 256, 4, 4),
                            new Shape(1, 512, 4, 4));
            // No biases anywhere: pytorch/examples uses bias=False in every convolution.
            assertThat(generator.getParameters().keys()).noneMatch(name -> name.endsWith("bias"));
            assertThat(discriminator.getParameters().keys()).noneMatch(name -> name.endsWith("bias"));
        }
    }

    @Test
    void size28ProjectsToSevenBySeven() {
        DcganGenerator generator =
                DcganGenerator.builder().setImageSize(28).setChannels(1).optLatentSize(10).optFeatures(4).build();
        DcganDiscriminator discriminator =
                DcganDiscriminator.builder().setImageSize(28).setChannels(1).optFeatures(4).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            generator.initialize(manager, DataType.FLOAT32, new Shape(1, 10));
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertThat(weightShapes(generator))
                    .containsExactly(new Shape(10, 8, 7, 7), new Shape(8, 4, 4, 4), new Shape(4, 1, 4, 4));
            assertThat(weightShapes(discriminator))
                    .containsExactly(new Shape(4, 1, 4, 4), new Shape(8, 4, 4, 4), new Shape(1, 8, 7, 7));
        }
    }

    @ParameterizedTest(name = "size {0}")
    @CsvSource({"28,2", "32,3", "64,4", "128,5"})
    void batchNormFollowsEveryLayerButTheLastInGAndTheFirstInD(int size, int strided) {
        List<Block> g =
                new ArrayList<>(
                        DcganGenerator.builder().setImageSize(size).setChannels(3).build().getChildren().values());
        List<Block> d =
                new ArrayList<>(
                        DcganDiscriminator.builder().setImageSize(size).setChannels(3).build().getChildren().values());
        List<Integer> transposed = indicesOf(g, TransposedConv2d.class);
        assertThat(transposed).hasSize(strided + 1);
        assertThat(indicesOf(g, BatchNorm.class)).hasSize(strided);
        for (int i = 0; i < transposed.size() - 1; i++) {
            assertThat(g.get(transposed.get(i) + 1)).isInstanceOf(BatchNorm.class);
        }
        int last = transposed.get(transposed.size() - 1);
        assertThat(g.subList(last, g.size())).noneMatch(BatchNorm.class::isInstance);

        List<Integer> convolutions = indicesOf(d, Conv2d.class);
        assertThat(convolutions).hasSize(strided + 1);
        assertThat(indicesOf(d, BatchNorm.class)).hasSize(strided - 1);
        assertThat(d.get(convolutions.get(0) + 1)).isNotInstanceOf(BatchNorm.class);
        for (int i = 1; i < strided; i++) {
            assertThat(d.get(convolutions.get(i) + 1)).isInstanceOf(BatchNorm.class);
        }
    }

    @Test
    void batchNormUsesPytorchMomentumAndEpsilon() {
        BatchNorm norm = DcganGenerator.batchNorm();
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 1, 1, 2);
            norm.initialize(manager, DataType.FLOAT32, shape);
            NDArray x = manager.create(new float[] {1, 2, 3, 6}, shape);
            NDArray y = norm.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            // PyTorch momentum 0.1: running_mean = 0.9·0 + 0.1·3 = 0.3; running_var = 0.9·1 + 0.1·(unbiased 14/3).
            float runningMean = norm.getParameters().get("runningMean").getArray().getFloat(0);
            float runningVar = norm.getParameters().get("runningVar").getArray().getFloat(0);
            assertThat(runningMean).isCloseTo(0.3f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(runningVar).isCloseTo(0.9f + 0.1f * 14f / 3f, org.assertj.core.data.Offset.offset(1e-5f));
            // Biased variance 3.5 and epsilon 1e-5: (1 − 3) / √(3.5 + 1e-5).
            double expected = -2 / Math.sqrt(3.5 + 1e-5);
            assertThat((double) y.getFloat(0, 0, 0, 0)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void backwardReachesEveryParameterOfBothNetworksWithPacking() {
        DcganGenerator generator =
                DcganGenerator.builder().setImageSize(32).setChannels(3).optLatentSize(8).optFeatures(4).build();
        DcganDiscriminator discriminator =
                DcganDiscriminator.builder().setImageSize(32).setChannels(3).optFeatures(4).optPacking(2).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            generator.initialize(manager, DataType.FLOAT32, new Shape(4, 8));
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(2, 6, 32, 32));
            Initialization.dcgan(generator, 3);
            Initialization.dcgan(discriminator, 4);
            try (NDManager step = manager.newSubManager()) {
                ParameterStore store = new ParameterStore(step, false);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray fake =
                            generator.forward(store, new NDList(step.randomNormal(new Shape(4, 8))), true)
                                    .singletonOrThrow();
                    NDArray packed = org.gan4j.nn.Packing.pack(fake, 2);
                    NDArray logits = discriminator.forward(store, new NDList(packed), true).singletonOrThrow();
                    assertThat(logits.getShape()).isEqualTo(new Shape(2, 1));
                    collector.backward(logits.sum());
                }
                for (Block block : List.of(generator, discriminator)) {
                    block.getParameters().forEach(pair -> {
                        if (pair.getValue().requiresGradient()) {
                            try (NDArray gradient = pair.getValue().getArray().getGradient()) {
                                assertThat(gradient.abs().sum().getFloat()).as(pair.getKey()).isGreaterThan(0f);
                            }
                        }
                    });
                }
            }
        }
    }

    @Test
    void trainingStepsLeaveNoArraysInTheParameterManager() {
        DcganGenerator generator =
                DcganGenerator.builder().setImageSize(28).setChannels(1).optLatentSize(8).optFeatures(4).build();
        DcganDiscriminator discriminator =
                DcganDiscriminator.builder().setImageSize(28).setChannels(1).optFeatures(4).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            generator.initialize(manager, DataType.FLOAT32, new Shape(2, 8));
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            int before = -1;
            for (int stepIndex = 0; stepIndex < 3; stepIndex++) {
                try (NDManager step = manager.newSubManager()) {
                    ParameterStore store = new ParameterStore(step, false);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray fake =
                                generator.forward(store, new NDList(step.randomNormal(new Shape(2, 8))), true)
                                        .singletonOrThrow();
                        collector.backward(discriminator.forward(store, new NDList(fake), true).singletonOrThrow().sum());
                    }
                }
                int now = manager.getManagedArrays().size();
                if (before >= 0) {
                    assertThat(now).as("arrays in the parameter manager after step " + stepIndex).isEqualTo(before);
                }
                before = now;
            }
        }
    }

    @Test
    void unsupportedSizesAndChannelsFailAtBuildTime() {
        assertThatThrownBy(() -> DcganGenerator.builder().setImageSize(48).setChannels(3).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("48")
                .hasMessageContaining("28, 32, 64, 128");
        assertThatThrownBy(() -> DcganDiscriminator.builder().setImageSize(100).setChannels(1).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("100")
                .hasMessageContaining("28, 32, 64, 128");
        assertThatThrownBy(() -> DcganGenerator.builder().setImageSize(32).setChannels(0).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("channels")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> DcganDiscriminator.builder().setImageSize(32).setChannels(3).optPacking(0).build())
                .isInstanceOf(Gan4jException.class)
                .hasMessageContaining("packing");
    }

    private static List<Shape> weightShapes(Block block) {
        List<Shape> shapes = new ArrayList<>();
        block.getParameters().forEach(pair -> {
            if (pair.getKey().endsWith("weight")) {
                shapes.add(pair.getValue().getShape());
            }
        });
        return shapes;
    }

    private static List<Integer> indicesOf(List<Block> blocks, Class<?> type) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (type.isInstance(blocks.get(i))) {
                indices.add(i);
            }
        }
        return indices;
    }
}
