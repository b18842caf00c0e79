package org.gan4j.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * Checks once per process that libtorch computes a convolution's input gradient correctly on this machine's CPU.
 *
 * <p>On some virtual machines it does not: the AMD processor hides its cache sizes (CPUID leaf 0x8000001D is empty;
 * Linux then lists no {@code /sys/devices/system/cpu/cpu0/cache}), and oneDNN 3.7.1, which libtorch 2.7.1 runs for
 * convolutions, reads that empty leaf as three 1-byte caches and sizes its blocking by them. The input gradient of a
 * convolution with few channels (1 or 2 input channels, or one output channel) then comes out wrong by tens of per
 * cent. The {@code gan4j} launcher preloads a library that gives oneDNN credible cache sizes instead
 * (gan4j-cli/src/main/native/onednn_cache_sizes.c), and this check then passes; a JVM started otherwise (an
 * application embedding gan4j, {@code GAN4J_ONEDNN_CACHES=off}, tests run by Maven) still gets the wrong values.
 * gan4j's default DCGANs do not run such layers (their readout is a matrix product, their channel counts multiples of
 * 16); small feature counts ({@code model.dcgan.*Features} below 16) do. {@code ONEDNN_MAX_CPU_ISA=SSE41} also gives
 * correct results there, at a large cost in speed.
 *
 * <p>The check runs three small convolutions (the shapes found wrong) with fixed inputs, touches no random
 * generator and compares the input gradients with nested loops in double precision.
 */
public final class ConvolutionCheck {

    /** Largest error, relative to the largest gradient, still taken as float rounding. */
    static final double TOLERANCE = 1e-3;

    /** batch, input channels, output channels, kernel, input side, stride, padding. */
    static final int[][] PROBES = {{8, 1, 2, 4, 16, 2, 1}, {4, 5, 1, 4, 4, 1, 0}, {8, 2, 12, 4, 16, 2, 1}};

    private static boolean checked;
    private static String problem;

    private ConvolutionCheck() {}

    /**
     * Runs the check on the CPU the first time it is called; later calls return the same answer.
     *
     * @return null when every probe's input gradient is right, else a one-line description of the worst one
     */
    public static synchronized String problem() {
        if (!checked) {
            problem = run();
            checked = true;
        }
        return problem;
    }

    private static String run() {
        double worst = 0;
        int[] worstProbe = null;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (int[] probe : PROBES) {
                double error = relativeError(manager, probe);
                if (!(error <= worst)) {
                    worst = error;
                    worstProbe = probe;
                }
            }
        }
        if (worstProbe == null || !strays(worst)) {
            return null;
        }
        return String.format(java.util.Locale.ROOT,
                "libtorch's convolution input gradient is wrong on this CPU (%d → %d channels, %d×%d kernel, stride %d:"
                        + " %s); layers with few channels train wrongly here",
                worstProbe[1], worstProbe[2], worstProbe[3], worstProbe[3], worstProbe[5],
                Double.isFinite(worst) ? String.format(java.util.Locale.ROOT, "off by %.0f %% of its largest value",
                        100 * worst) : "values that are not even finite");
    }

    /**
     * Whether a relative error is more than float rounding. A wrong kernel may leave values that are not numbers
     * (NaN on the CI machine of 2 December), and NaN compares false with everything: it strays.
     */
    static boolean strays(double relativeError) {
        return !(relativeError <= TOLERANCE);
    }

    /** The probe's largest input-gradient error through libtorch, relative to the largest reference value. */
    static double relativeError(NDManager manager, int[] probe) {
        int n = probe[0];
        int cin = probe[1];
        int cout = probe[2];
        int k = probe[3];
        int size = probe[4];
        int stride = probe[5];
        int pad = probe[6];
        int out = (size + 2 * pad - k) / stride + 1;
        float[] x = values(n * cin * size * size, 0.37, 0.1);
        float[] w = values(cout * cin * k * k, 0.53, 1.7);
        float[] g = values(n * cout * out * out, 0.71, 0.3);
        double[] expected = inputGradient(w, g, n, cin, cout, k, size, out, stride, pad);
        float[] actual;
        try (NDManager scope = manager.newSubManager()) {
            NDArray xa = scope.create(x, new Shape(n, cin, size, size));
            NDArray wa = scope.create(w, new Shape(cout, cin, k, k));
            NDArray ga = scope.create(g, new Shape(n, cout, out, out));
            xa.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(xa, wa, null, new Shape(stride, stride), new Shape(pad, pad),
                        new Shape(1, 1)).singletonOrThrow();
                collector.backward(y.mul(ga).sum());
            }
            actual = xa.getGradient().toFloatArray();
        }
        double largest = 0;
        double error = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(actual[i] - expected[i]));
        }
        return largest == 0 ? error : error / largest;
    }

    /** The gradient of sum(conv(x, w) · g) with respect to x, by nested loops. */
    static double[] inputGradient(float[] w, float[] g, int n, int cin, int cout, int k, int size, int out,
            int stride, int pad) {
        double[] dx = new double[n * cin * size * size];
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < cout; co++) {
                for (int oy = 0; oy < out; oy++) {
                    for (int ox = 0; ox < out; ox++) {
                        double up = g[((b * cout + co) * out + oy) * out + ox];
                        for (int ci = 0; ci < cin; ci++) {
                            for (int ky = 0; ky < k; ky++) {
                                int y = oy * stride - pad + ky;
                                if (y < 0 || y >= size) {
                                    continue;
                                }
                                for (int kx = 0; kx < k; kx++) {
                                    int xx = ox * stride - pad + kx;
                                    if (xx >= 0 && xx < size) {
                                        dx[((b * cin + ci) * size + y) * size + xx] +=
                                                up * w[((co * cin + ci) * k + ky) * k + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    private static float[] values(int count, double step, double phase) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) StrictMath.sin(step * i + phase);
        }
        return values;
    }
}
