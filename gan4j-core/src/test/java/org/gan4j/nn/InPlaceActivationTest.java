package org.gan4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.gan4j.Gan4jException;
import org.gan4j.nn.dcgan.SmallDcgan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Activation.applyInPlace: exactly the values and gradients of the out-of-place activation, the input overwritten for
 * ReLU and LeakyReLU only, the property that turns it off, and the DCGAN networks (which use it) giving bit-identical
 * samples, logits and gradients either way.
 */
class InPlaceActivationTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(Activation.IN_PLACE_PROPERTY);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void sameValuesAndGradientsAsOutOfPlace(Activation activation) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x0 = manager.randomNormal(new Shape(3, 4, 5, 2));
            // exact zeros: the gradient at 0 must agree too
            x0.set(new ai.djl.ndarray.index.NDIndex("0, 0"), 0f);
            NDArray upstream = manager.randomNormal(x0.getShape());
            float[][] expected = run(activation, x0, upstream, false);
            float[][] actual = run(activation, x0, upstream, true);
            assertThat(actual[0]).as("values").containsExactly(expected[0]);
            assertThat(actual[1]).as("gradient").containsExactly(expected[1]);
            boolean overwrites = activation == Activation.RELU || activation == Activation.LEAKY_RELU;
            assertThat(actual[2])
                    .as("the input after the call")
                    .containsExactly(overwrites ? expected[0] : x0.toFloatArray());
            assertThat(expected[2]).as("out of place leaves the input").containsExactly(x0.toFloatArray());
        }
    }

    @Test
    void propertyFalseLeavesTheInputAlone() {
        System.setProperty(Activation.IN_PLACE_PROPERTY, "false");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {-1f, 2f});
            NDArray y = Activation.LEAKY_RELU.applyInPlace(x);
            assertThat(y.toFloatArray()).containsExactly(-0.2f, 2f);
            assertThat(x.toFloatArray()).containsExactly(-1f, 2f);
        }
    }

    @Test
    void propertyOtherThanTrueOrFalseIsRefusedNamingIt() {
        System.setProperty(Activation.IN_PLACE_PROPERTY, "TRUE ");
        assertThat(Activation.inPlaceEnabled()).isTrue();
        System.setProperty(Activation.IN_PLACE_PROPERTY, "off");
        assertThatThrownBy(Activation::inPlaceEnabled)
                .isInstanceOf(Gan4jException.class)
                .hasMessage("system property gan4j.inplace_activations: expected true or false, got 'off'");
    }

    /** Runs the activation on a non-leaf copy of x0; returns its values, x0's gradient and the copy afterwards. */
    private static float[][] run(Activation activation, NDArray x0, NDArray upstream, boolean inPlace) {
        try (NDManager step = x0.getManager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = x0.duplicate();
            x.attach(step);
            x.setRequiresGradient(true);
            // a non-leaf copy of x; times a native 1, not mul(1f), whose Java-owned scalar autograd would keep for
            // the backward pass after DJL freed it (BinaryCrossEntropyGcTest)
            NDArray input = x.mul(step.ones(new Shape()));
            NDArray y = inPlace ? activation.applyInPlace(input) : activation.apply(input);
            float[] values = y.toFloatArray();
            collector.backward(y.mul(upstream).sum());
            return new float[][] {values, x.getGradient().toFloatArray(), input.toFloatArray()};
        }
    }

    /** One forward and backward pass of G and D (G's output through D), with and without in-place activations. */
    @ParameterizedTest(name = "{0}×{0}, {1} channel(s)")
    @CsvSource({"32, 3", "28, 1"})
    void dcganGivesIdenticalOutputsAndGradients(int size, int channels) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SmallDcgan small = SmallDcgan.create(manager, size, channels);
            List<NDArray> running = new ArrayList<>();
            List<float[]> initial = new ArrayList<>();
            for (Block block : List.of(small.generator(), small.discriminator())) {
                for (Pair<String, Parameter> pair : block.getParameters()) {
                    if (!pair.getValue().requiresGradient()) {
                        running.add(pair.getValue().getArray());
                        initial.add(pair.getValue().getArray().toFloatArray());
                    }
                }
            }

            System.setProperty(Activation.IN_PLACE_PROPERTY, "false");
            List<float[]> outOfPlace = small.pass(manager, true, samples -> {});
            for (int i = 0; i < running.size(); i++) {
                running.get(i).set(initial.get(i));
            }
            System.clearProperty(Activation.IN_PLACE_PROPERTY);
            List<float[]> inPlace = small.pass(manager, true, samples -> {});

            assertThat(inPlace).hasSameSizeAs(outOfPlace);
            for (int i = 0; i < outOfPlace.size(); i++) {
                assertThat(inPlace.get(i))
                        .as("array %d (0: samples, 1: logits, then gradients, then running statistics)", i)
                        .containsExactly(outOfPlace.get(i));
            }
        }
    }
}
