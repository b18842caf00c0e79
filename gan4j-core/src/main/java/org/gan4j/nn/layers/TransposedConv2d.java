package org.gan4j.nn.layers;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gan4j.nn.TorchScriptModules;

/**
 * A 2-D transposed convolution ("fractionally strided convolution", Dumoulin and Visin 2016), exactly PyTorch's
 * {@code conv_transpose2d(x, w, b, stride, padding)}.
 *
 * <p>With weight {@code w} of shape (Cin, Cout, k, k), stride s and padding p:
 *
 * <pre>
 *   y[n, co, oh, ow] = b[co] + Σ_{ci, ih, iw, kh, kw : oh = ih·s − p + kh, ow = iw·s − p + kw} x[n, ci, ih, iw] · w[ci, co, kh, kw]
 *   H_out = (H_in − 1)·s − 2p + k
 * </pre>
 *
 * <p>DJL's PyTorch engine does not expose {@code deconvolution}, but libtorch has a fast one ({@code
 * conv_transpose2d}: oneDNN on the CPU, cuDNN on a GPU). This block runs it through a one-operator TorchScript module
 * shipped as a resource ({@code conv_transpose2d.pt}, made by {@code gan4j-core/src/main/torchscript}), loaded once
 * per device; autograd records through it like any other operator. A 1×1 input is a plain matrix product.
 *
 * <p>{@link Formulation#PHASES} is the rewrite with ordinary convolutions that gan4j used before (kept for tests and
 * benchmarks): the output, before cropping the padding, splits into s×s stride phases; output row {@code q·s + r}
 * only receives the kernel taps {@code kh = r + s·j}, and reads input row {@code q − j}. Each phase is therefore a
 * stride-1 convolution of the input with the flipped sub-kernel {@code w[:, :, r::s, r::s]} (Cin and Cout swapped).
 * All s² phases run as ONE convolution whose output channels are the phases, then interleave back by a reshape and
 * transpose, and the padding is cropped. With libtorch 2.7.1 the native formulation made a DCGAN 28×28 training step
 * 9.5 % faster on the development machine, mostly by dropping the rewrite's copies (docs/PERFORMANCE-HISTORY.md,
 * run G). Both give PyTorch's result and gradients to float rounding.
 *
 * <p>Every array made in {@link #forward} belongs to the input's manager (ops that start from the weight are
 * attached to it), so a caller that closes its per-step manager frees the whole graph.
 */
public final class TransposedConv2d extends AbstractBlock {

    /** How the transposed convolution is computed. */
    public enum Formulation {
        /** libtorch's own {@code conv_transpose2d}, through the TorchScript module (the default). */
        NATIVE,
        /** All stride phases as one ordinary convolution, interleaved and cropped. */
        PHASES
    }

    private static final byte VERSION = 1;

    private static final String MODULE_RESOURCE = "conv_transpose2d.pt";
    /** (stride, padding) as the module's int64 CPU argument, one per pair. */
    private static final Map<List<Integer>, NDArray> STRIDE_PADDING = new ConcurrentHashMap<>();

    private final int filters;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean includeBias;
    private long inputChannels;

    private final Parameter weight;
    private final Parameter bias;

    private TransposedConv2d(Builder builder) {
        super(VERSION);
        filters = builder.filters;
        kernelSize = builder.kernelSize;
        stride = builder.stride;
        padding = builder.padding;
        includeBias = builder.includeBias;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias =
                includeBias
                        ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
                        : null;
    }

    /**
     * Returns a builder for a transposed convolution.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray weightArray = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray biasArray = parameterStore.getValue(bias, x.getDevice(), training);
        return new NDList(transposedConv2d(x, weightArray, biasArray, stride, padding));
    }

    /** {@inheritDoc} */
    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        Shape input = inputShapes[0];
        if (input.dimension() != 4) {
            throw new IllegalArgumentException("TransposedConv2d expects (N, C, H, W) input, got " + input);
        }
        inputChannels = input.get(1);
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(inputChannels, filters, kernelSize, kernelSize));
        if (bias != null) {
            bias.setShape(new Shape(filters));
        }
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape input = inputs[0];
        return new Shape[] {
            new Shape(
                    input.get(0),
                    filters,
                    outputSize(input.get(2), kernelSize, stride, padding),
                    outputSize(input.get(3), kernelSize, stride, padding))
        };
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(inputChannels);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("Unsupported TransposedConv2d encoding version: " + loadVersion);
        }
        readInputShapes(is);
        inputChannels = is.readLong();
    }

    /**
     * Returns the number of output channels (Cout).
     *
     * @return the number of filters
     */
    public int getFilters() {
        return filters;
    }

    /**
     * Returns the side length k of the square kernel.
     *
     * @return the kernel size
     */
    public int getKernelSize() {
        return kernelSize;
    }

    /**
     * Returns the stride s.
     *
     * @return the stride
     */
    public int getStride() {
        return stride;
    }

    /**
     * Returns the padding p cropped from each side of the full output.
     *
     * @return the padding
     */
    public int getPadding() {
        return padding;
    }

    /**
     * Returns whether the block adds a bias per output channel.
     *
     * @return whether there is a bias
     */
    public boolean isIncludeBias() {
        return includeBias;
    }

    /**
     * Returns the output side length of a transposed convolution: {@code (in − 1)·s − 2p + k}.
     *
     * @param inputSize the input side length
     * @param kernelSize the kernel side length k
     * @param stride the stride s
     * @param padding the padding p
     * @return the output side length
     */
    public static long outputSize(long inputSize, int kernelSize, int stride, int padding) {
        return (inputSize - 1) * stride - 2L * padding + kernelSize;
    }

    /**
     * Computes {@code conv_transpose2d(x, w, b, stride, padding)} with differentiable engine ops.
     *
     * <p>Every returned or intermediate array belongs to {@code x}'s manager.
     *
     * @param x the input, shape (N, Cin, H, W)
     * @param w the weight, shape (Cin, Cout, k, k)
     * @param b the bias, shape (Cout), or {@code null}
     * @param stride the stride s ≥ 1
     * @param padding the padding p ≥ 0
     * @return the output, shape (N, Cout, (H − 1)·s − 2p + k, (W − 1)·s − 2p + k)
     */
    public static NDArray transposedConv2d(NDArray x, NDArray w, NDArray b, int stride, int padding) {
        return transposedConv2d(x, w, b, stride, padding, Formulation.NATIVE);
    }

    /**
     * Computes {@code conv_transpose2d(x, w, b, stride, padding)} with the given formulation (a 1×1 input is a
     * matrix product either way).
     *
     * @param x the input, shape (N, Cin, H, W)
     * @param w the weight, shape (Cin, Cout, k, k)
     * @param b the bias, shape (Cout), or {@code null}
     * @param stride the stride s ≥ 1
     * @param padding the padding p ≥ 0
     * @param formulation libtorch's transposed convolution or the stride-phase rewrite
     * @return the output, shape (N, Cout, (H − 1)·s − 2p + k, (W − 1)·s − 2p + k)
     */
    public static NDArray transposedConv2d(
            NDArray x, NDArray w, NDArray b, int stride, int padding, Formulation formulation) {
        Shape inputShape = x.getShape();
        Shape weightShape = w.getShape();
        if (inputShape.dimension() != 4 || weightShape.dimension() != 4) {
            throw new IllegalArgumentException(
                    "transposedConv2d expects 4-D input and weight, got " + inputShape + " and " + weightShape);
        }
        int k = Math.toIntExact(weightShape.get(2));
        if (weightShape.get(0) != inputShape.get(1) || weightShape.get(3) != k) {
            throw new IllegalArgumentException(
                    "weight " + weightShape + " does not fit input " + inputShape + " (expected (Cin, Cout, k, k))");
        }
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException("stride must be >= 1 and padding >= 0, got " + stride + ", " + padding);
        }
        long n = inputShape.get(0);
        long cin = inputShape.get(1);
        long height = inputShape.get(2);
        long width = inputShape.get(3);
        long cout = weightShape.get(1);
        long heightOut = outputSize(height, k, stride, padding);
        long widthOut = outputSize(width, k, stride, padding);
        if (heightOut < 1 || widthOut < 1) {
            throw new IllegalArgumentException(
                    "transposed convolution of " + inputShape + " with k=" + k + " s=" + stride + " p=" + padding
                            + " has an empty output");
        }
        NDManager manager = x.getManager();
        NDArray y;
        if (height == 1 && width == 1) {
            // y[n, co, kh, kw] = Σ_ci x[n, ci] · w[ci, co, kh, kw]: one matrix product, then crop the padding.
            if (MemoryFormat.channelsLast(x.getDevice())) {
                // columns in (kh, kw, co) order: a view of a channels-last weight (MemoryFormat.weightsToPreferred),
                // and the product viewed back as (n, co, kh, kw) is channels-last without a copy
                NDArray hwc = own(w.transpose(0, 2, 3, 1), manager);
                NDArray flatWeight = own(hwc.reshape(cin, k * k * cout), manager);
                y = x.reshape(n, cin).matMul(flatWeight).reshape(n, k, k, cout).transpose(0, 3, 1, 2);
            } else {
                NDArray flatWeight = own(w.reshape(cin, cout * k * k), manager);
                y = x.reshape(n, cin).matMul(flatWeight).reshape(n, cout, k, k);
            }
            if (padding > 0) {
                y = y.get(new NDIndex("..., {}:{}, {}:{}", padding, k - padding, padding, k - padding));
            }
            // in the format MemoryFormat selects, so that the batch norm and activation after it run channels-last
            // like the rest of the generator: with a plain output here they would get their gradients channels-last
            // from the next transposed convolution, mixed layouts that leave libtorch's vectorised loops
            y = MemoryFormat.preferred(y);
        } else if (formulation == Formulation.NATIVE) {
            y = nativeConvolution(x, w, stride, padding);
        } else {
            y = phaseConvolution(x, w, stride, padding, k, heightOut, widthOut, manager);
        }
        if (b != null) {
            y = y.add(own(b.reshape(1, cout, 1, 1), manager));
        }
        return y;
    }

    /**
     * The general case: all stride phases as one stride-1 convolution, interleaved and cropped.
     *
     * <p>With {@code taps = ⌈k/s⌉} (the kernel zero-padded to taps·s), the full uncropped output satisfies
     * {@code F[q·s + r] = Σ_j x[q − j] · w[r + s·j]}, a correlation of x with the sub-kernel of phase r flipped. A
     * convolution with padding g gives {@code out_r[t] = F[(t + taps − 1 − g)·s + r]}, so after interleaving phases the
     * output row oh sits at {@code oh + p − (taps − 1 − g)·s}.
     */
    private static NDArray phaseConvolution(
            NDArray x, NDArray w, int s, int p, int k, long heightOut, long widthOut, NDManager manager) {
        Shape inputShape = x.getShape();
        long n = inputShape.get(0);
        long cin = inputShape.get(1);
        long height = inputShape.get(2);
        long width = inputShape.get(3);
        long cout = w.getShape().get(1);
        int taps = (k + s - 1) / s;
        int extended = taps * s;
        NDArray kernel = w;
        if (extended > k) {
            // torch pad order: last axis first (left, right), then the axis before it.
            kernel = own(w.pad(new Shape(0, extended - k, 0, extended - k), 0), manager);
        }
        // [ci, co, j, r, j', r'] = w[ci, co, j·s + r, j'·s + r']; flipping j turns the sum into a correlation.
        kernel = own(kernel.reshape(cin, cout, taps, s, taps, s), manager);
        kernel = own(kernel.flip(2, 4), manager);
        // (r, r', co, ci, j, j') → conv weight (s·s·Cout, Cin, taps, taps); output channel (r·s + r')·Cout + co.
        kernel = own(kernel.transpose(3, 5, 1, 0, 2, 4), manager);
        kernel = own(kernel.reshape((long) s * s * cout, cin, taps, taps), manager);
        int g = Math.max(0, taps - 1 - p / s);
        NDArray phases =
                Conv2d.conv2d(x, kernel, null, new Shape(1, 1), new Shape(g, g), new Shape(1, 1))
                        .singletonOrThrow();
        long convHeight = height + 2L * g - taps + 1;
        long convWidth = width + 2L * g - taps + 1;
        // (N, r, r', co, t, t') → (N, co, t, r, t', r') → (N, co, t·s + r, t'·s + r')
        NDArray full =
                phases.reshape(n, s, s, cout, convHeight, convWidth)
                        .transpose(0, 3, 4, 1, 5, 2)
                        .reshape(n, cout, convHeight * s, convWidth * s);
        long start = p - (long) (taps - 1 - g) * s;
        if (start == 0 && heightOut == convHeight * s && widthOut == convWidth * s) {
            return full;
        }
        // "..." and not ":, :": DJL turns an explicit ":" into a real slice whose backward zero-fills and copies the
        // whole array, two of them per crop (2 % of a DCGAN 28×28 step at one thread); "..." slices the two axes only
        return full.get(new NDIndex("..., {}:{}, {}:{}", start, start + heightOut, start, start + widthOut));
    }

    /** libtorch's {@code conv_transpose2d} through the TorchScript module; the result belongs to x's manager. */
    private static NDArray nativeConvolution(NDArray x, NDArray w, int stride, int padding) {
        PtSymbolBlock module = TorchScriptModules.get(TransposedConv2d.class, MODULE_RESOURCE, x.getDevice());
        // channels-last where MemoryFormat selects it: the output keeps the format, so only G's first one converts
        x = MemoryFormat.preferred(x);
        NDArray stridePadding =
                STRIDE_PADDING.computeIfAbsent(
                        List.of(stride, padding), key -> CpuArrays.MANAGER.create(new long[] {stride, padding}));
        // training mode: the module runs without InferenceMode, so autograd records it when gradients are collected
        return IValueUtils.forward(module, new NDList(x, w, stridePadding), true).singletonOrThrow();
    }

    /** Owns the (stride, padding) arrays; created on first use, after the engine is configured. */
    private static final class CpuArrays {
        static final NDManager MANAGER = NDManager.newBaseManager(Device.cpu());
    }

    private static NDArray own(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
    }

    /** Builds a {@link TransposedConv2d}; input channels are inferred from the input shape at initialization. */
    public static final class Builder {

        private int filters;
        private int kernelSize;
        private int stride = 1;
        private int padding;
        private boolean includeBias;

        private Builder() {}

        /**
         * Sets the number of output channels (required).
         *
         * @param outChannels Cout ≥ 1
         * @return this builder
         */
        public Builder setFilters(int outChannels) {
            this.filters = outChannels;
            return this;
        }

        /**
         * Sets the side length of the square kernel (required).
         *
         * @param kernelSize k ≥ 1
         * @return this builder
         */
        public Builder setKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /**
         * Sets the stride (default 1).
         *
         * @param stride s ≥ 1
         * @return this builder
         */
        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        /**
         * Sets the padding cropped from each side of the full output (default 0).
         *
         * @param padding p ≥ 0
         * @return this builder
         */
        public Builder optPadding(int padding) {
            this.padding = padding;
            return this;
        }

        /**
         * Sets whether to add a bias per output channel (default false, as in DCGAN).
         *
         * @param includeBias whether to add a bias
         * @return this builder
         */
        public Builder optBias(boolean includeBias) {
            this.includeBias = includeBias;
            return this;
        }

        /**
         * Validates the settings and builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException if filters or kernel size are unset or a value is out of range
         */
        public TransposedConv2d build() {
            if (filters < 1 || kernelSize < 1) {
                throw new IllegalArgumentException(
                        "TransposedConv2d needs filters >= 1 and kernelSize >= 1, got " + filters + " and " + kernelSize);
            }
            if (stride < 1 || padding < 0) {
                throw new IllegalArgumentException(
                        "TransposedConv2d needs stride >= 1 and padding >= 0, got " + stride + " and " + padding);
            }
            return new TransposedConv2d(this);
        }
    }
}
