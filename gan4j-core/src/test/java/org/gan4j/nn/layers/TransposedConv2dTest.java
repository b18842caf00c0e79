package org.gan4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.gan4j.nn.layers.TransposedConv2d.Formulation;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Checks the transposed convolution against a nested-loop reference of PyTorch's conv_transpose2d. */
class TransposedConv2dTest {

    private static final double TOLERANCE = 1e-5;

    /** One case: kernel, stride, padding, input height and width, bias. */
    record Case(int kernel, int stride, int padding, int height, int width, boolean bias) {
        @Override
        public String toString() {
            return "k" + kernel + " s" + stride + " p" + padding + " " + height + "x" + width + (bias ? " bias" : "");
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                        // DCGAN projections of z (1×1 input): base 4 (32/64/128) and base 7 (28).
                        new Case(4, 1, 0, 1, 1, false),
                        new Case(7, 1, 0, 1, 1, false),
                        // DCGAN upsampling k4 s2 p1 at every size the generators use.
                        new Case(4, 2, 1, 4, 4, false),
                        new Case(4, 2, 1, 7, 7, false),
                        new Case(4, 2, 1, 8, 8, false),
                        new Case(4, 2, 1, 14, 14, false),
                        new Case(4, 2, 1, 16, 16, false),
                        // Others: odd and non-square sizes, kernels not divisible by the stride, large padding.
                        new Case(3, 1, 1, 5, 6, true),
                        new Case(4, 2, 1, 3, 5, true),
                        new Case(5, 2, 2, 4, 3, true),
                        new Case(3, 2, 0, 3, 3, false),
                        new Case(4, 3, 1, 2, 5, false),
                        new Case(2, 2, 0, 3, 4, false),
                        new Case(1, 1, 0, 3, 2, true),
                        new Case(3, 1, 2, 4, 4, false),
                        new Case(3, 1, 0, 1, 1, true),
                        new Case(4, 2, 1, 1, 1, true),
                        new Case(5, 3, 4, 6, 5, false))
                .flatMap(c -> Stream.of(Formulation.values()).map(f -> Arguments.of(c, f)));
    }

    /** Both formulations, libtorch's transposed convolution and the stride-phase rewrite, against the same loops. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void forwardAndGradientsMatchNestedLoops(Case c, Formulation formulation) {
        if (formulation == Formulation.PHASES) {
            // the rewrite runs ordinary convolutions with few channels, which some machines compute wrongly
            org.junit.jupiter.api.Assumptions.assumeTrue(org.gan4j.nn.ConvolutionCheck.problem() == null,
                    () -> "libtorch on this machine: " + org.gan4j.nn.ConvolutionCheck.problem()
                            + " (docs/RELIABILITY.md)");
        }
        int n = 2;
        int cin = 3;
        int cout = 2;
        int k = c.kernel();
        SplittableRandom random = new SplittableRandom(c.toString().hashCode());
        float[] x = uniform(random, n * cin * c.height() * c.width());
        float[] w = uniform(random, cin * cout * k * k);
        float[] b = c.bias() ? uniform(random, cout) : null;
        int ho = (int) TransposedConv2d.outputSize(c.height(), k, c.stride(), c.padding());
        int wo = (int) TransposedConv2d.outputSize(c.width(), k, c.stride(), c.padding());
        float[] upstream = uniform(random, n * cout * ho * wo);
        Reference ref = new Reference(n, cin, cout, c.height(), c.width(), k, c.stride(), c.padding());
        double[] expectedY = ref.forward(x, w, b);
        double[] expectedDx = ref.inputGradient(upstream, w);
        double[] expectedDw = ref.weightGradient(x, upstream);

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xa = manager.create(x, new Shape(n, cin, c.height(), c.width()));
            NDArray wa = manager.create(w, new Shape(cin, cout, k, k));
            NDArray ba = b == null ? null : manager.create(b, new Shape(cout));
            NDArray ga = manager.create(upstream, new Shape(n, cout, ho, wo));
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            if (ba != null) {
                ba.setRequiresGradient(true);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = TransposedConv2d.transposedConv2d(xa, wa, ba, c.stride(), c.padding(), formulation);
                assertThat(y.getShape()).isEqualTo(new Shape(n, cout, ho, wo));
                assertClose(y.toFloatArray(), expectedY, "output");
                collector.backward(y.mul(ga).sum());
            }
            try (NDArray dx = xa.getGradient();
                    NDArray dw = wa.getGradient()) {
                assertClose(dx.toFloatArray(), expectedDx, "input gradient");
                assertClose(dw.toFloatArray(), expectedDw, "weight gradient");
            }
            if (ba != null) {
                try (NDArray db = ba.getGradient()) {
                    assertClose(db.toFloatArray(), ref.biasGradient(upstream), "bias gradient");
                }
            }
        }
    }

    @Test
    void blockInfersInputChannelsAndUsesItsParameters() {
        TransposedConv2d block =
                TransposedConv2d.builder().setFilters(2).setKernelSize(4).optStride(2).optPadding(1).optBias(true).build();
        Shape inputShape = new Shape(2, 3, 5, 5);
        assertThat(block.getOutputShapes(new Shape[] {inputShape})[0]).isEqualTo(new Shape(2, 2, 10, 10));
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, inputShape);
            NDArray weight = block.getParameters().get("weight").getArray();
            NDArray bias = block.getParameters().get("bias").getArray();
            assertThat(weight.getShape()).isEqualTo(new Shape(3, 2, 4, 4));
            assertThat(bias.getShape()).isEqualTo(new Shape(2));
            SplittableRandom random = new SplittableRandom(7);
            float[] x = uniform(random, 2 * 3 * 5 * 5);
            float[] w = uniform(random, 3 * 2 * 4 * 4);
            float[] b = uniform(random, 2);
            weight.set(w);
            bias.set(b);
            try (NDManager step = manager.newSubManager()) {
                NDArray y =
                        block.forward(
                                        new ParameterStore(step, false),
                                        new NDList(step.create(x, inputShape)),
                                        false)
                                .singletonOrThrow();
                assertThat(y.getManager()).isSameAs(step);
                double[] expected = new Reference(2, 3, 2, 5, 5, 4, 2, 1).forward(x, w, b);
                assertClose(y.toFloatArray(), expected, "block output");
            }
        }
    }

    @Test
    void weightDerivedArraysBelongToTheInputManager() {
        try (NDManager weights = NDManager.newBaseManager();
                NDManager step = NDManager.newBaseManager()) {
            NDArray w = weights.ones(new Shape(3, 2, 5, 5));
            NDArray b = weights.ones(new Shape(2));
            int before = weights.getManagedArrays().size();
            NDArray y = TransposedConv2d.transposedConv2d(step.ones(new Shape(1, 3, 4, 4)), w, b, 2, 2);
            NDArray z = TransposedConv2d.transposedConv2d(step.ones(new Shape(1, 3, 1, 1)), w, b, 1, 0);
            assertThat(weights.getManagedArrays()).hasSize(before);
            assertThat(y.getManager()).isSameAs(step);
            assertThat(z.getManager()).isSameAs(step);
        }
    }

    @Test
    void builderRejectsMissingOrInvalidSettings() {
        assertThatThrownBy(() -> TransposedConv2d.builder().setKernelSize(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filters");
        assertThatThrownBy(() -> TransposedConv2d.builder().setFilters(2).setKernelSize(4).optStride(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stride");
    }

    private static float[] uniform(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextDouble(-0.5, 0.5);
        }
        return values;
    }

    private static void assertClose(float[] actual, double[] expected, String what) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        double maxError = 0;
        for (int i = 0; i < actual.length; i++) {
            maxError = Math.max(maxError, Math.abs(actual[i] - expected[i]));
        }
        assertThat(maxError).as(what + " max abs error").isLessThan(TOLERANCE);
    }

    /** conv_transpose2d and its adjoints as plain loops over y[n, co, ih·s − p + kh, iw·s − p + kw]. */
    private record Reference(int n, int cin, int cout, int height, int width, int k, int stride, int padding) {

        int heightOut() {
            return (height - 1) * stride - 2 * padding + k;
        }

        int widthOut() {
            return (width - 1) * stride - 2 * padding + k;
        }

        int xIndex(int b, int ci, int ih, int iw) {
            return ((b * cin + ci) * height + ih) * width + iw;
        }

        int wIndex(int ci, int co, int kh, int kw) {
            return ((ci * cout + co) * k + kh) * k + kw;
        }

        int yIndex(int b, int co, int oh, int ow) {
            return ((b * cout + co) * heightOut() + oh) * widthOut() + ow;
        }

        /** Calls the visitor for every (input, weight, output) index triple that contributes. */
        void visit(Visitor visitor) {
            for (int b = 0; b < n; b++) {
                for (int ci = 0; ci < cin; ci++) {
                    for (int co = 0; co < cout; co++) {
                        for (int ih = 0; ih < height; ih++) {
                            for (int iw = 0; iw < width; iw++) {
                                for (int kh = 0; kh < k; kh++) {
                                    int oh = ih * stride - padding + kh;
                                    if (oh < 0 || oh >= heightOut()) {
                                        continue;
                                    }
                                    for (int kw = 0; kw < k; kw++) {
                                        int ow = iw * stride - padding + kw;
                                        if (ow < 0 || ow >= widthOut()) {
                                            continue;
                                        }
                                        visitor.accept(
                                                xIndex(b, ci, ih, iw), wIndex(ci, co, kh, kw), yIndex(b, co, oh, ow));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        double[] forward(float[] x, float[] w, float[] bias) {
            double[] y = new double[n * cout * heightOut() * widthOut()];
            visit((xi, wi, yi) -> y[yi] += (double) x[xi] * w[wi]);
            if (bias != null) {
                int plane = heightOut() * widthOut();
                for (int i = 0; i < y.length; i++) {
                    y[i] += bias[(i / plane) % cout];
                }
            }
            return y;
        }

        double[] inputGradient(float[] upstream, float[] w) {
            double[] dx = new double[n * cin * height * width];
            visit((xi, wi, yi) -> dx[xi] += (double) upstream[yi] * w[wi]);
            return dx;
        }

        double[] weightGradient(float[] x, float[] upstream) {
            double[] dw = new double[cin * cout * k * k];
            visit((xi, wi, yi) -> dw[wi] += (double) x[xi] * upstream[yi]);
            return dw;
        }

        double[] biasGradient(float[] upstream) {
            double[] db = new double[cout];
            int plane = heightOut() * widthOut();
            for (int i = 0; i < upstream.length; i++) {
                db[(i / plane) % cout] += upstream[i];
            }
            return db;
        }
    }

    /** Receives one contributing index triple. */
    private interface Visitor {
        void accept(int xIndex, int wIndex, int yIndex);
    }
}
