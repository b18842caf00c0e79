package org.gan4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.gan4j.config.TrainingConfig.OptimizerConfig;
import org.junit.jupiter.api.Test;

class GanAdamHealthTest {

    /** y = sum(x·w): the gradient with respect to w is x. */
    private static Block linearWithGradient(NDManager manager, float[] weights, float[] gradient) {
        Block block = Linear.builder().setUnits(1).optBias(false).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, weights.length));
        block.getParameters().get(0).getValue().getArray().set(weights);
        NDArray x = manager.create(gradient, new Shape(1, gradient.length));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            collector.backward(y.sum());
        }
        return block;
    }

    @Test
    void stepReturnsTheSquaredGradientNormBeforeTheUpdate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = linearWithGradient(manager, new float[] {1f, 2f}, new float[] {3f, -4f});
            GanAdam adam = new GanAdam(new OptimizerConfig(0.1, 0.9, 0.999, 1e-8), block.getParameters());
            try (NDManager normManager = manager.newSubManager()) {
                NDArray squared = adam.step(normManager);
                assertThat(squared.getFloat()).isCloseTo(25f, within(1e-5f));
            }
            // Adam's first update moves every weight by lr against the gradient's sign
            float[] after = block.getParameters().get(0).getValue().getArray().toFloatArray();
            assertThat((double) after[0]).isCloseTo(0.9, within(1e-6));
            assertThat((double) after[1]).isCloseTo(2.1, within(1e-6));
        }
    }

    @Test
    void learningRateScaleShrinksTheUpdate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = linearWithGradient(manager, new float[] {1f, 2f}, new float[] {3f, -4f});
            GanAdam adam = new GanAdam(new OptimizerConfig(0.1, 0.9, 0.999, 1e-8), block.getParameters());
            adam.setLearningRateScale(0.25);
            assertThat(adam.step(null)).isNull();
            float[] after = block.getParameters().get(0).getValue().getArray().toFloatArray();
            assertThat((double) after[0]).isCloseTo(0.975, within(1e-6));
            assertThat((double) after[1]).isCloseTo(2.025, within(1e-6));
            assertThat(adam.learningRateScale()).isEqualTo(0.25);
        }
    }
}
