package org.gan4j.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@link Conv2d} (same parameters, initialisation and checkpoint format), computed as one matrix product when
 * its kernel covers the whole unpadded input, as in the DCGAN discriminator's last layer (a b×b convolution of a b×b
 * map into one logit).
 *
 * <p>Then {@code y[n, co] = Σ_{ci, i, j} x[n, ci, i, j] · w[co, ci, i, j]}: the flattened input times the flattened
 * kernels, transposed. libtorch's convolution kernels are slow for this shape (a 128×7×7 → 1 readout took 0.33 ms
 * forward and 0.42 ms backward per call on the development machine, for 0.8 MFLOP): the product costs a fraction of
 * that. Any other input (smaller or larger than the kernel, padding, stride, dilation or groups) runs DJL's
 * convolution unchanged. The results equal the convolution's to float rounding (MatMulConv2dTest).
 */
public final class MatMulConv2d extends Conv2d {

    /**
     * Creates the block from a configured {@link Conv2d} builder.
     *
     * @param builder filters, kernel shape and options, as for {@link Conv2d}
     */
    public MatMulConv2d(Conv2d.Builder builder) {
        super(builder);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!coversInput(x.getShape())) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        long n = x.getShape().get(0);
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        // arrays derived from the weight would belong to the parameter's manager: give them to the input's
        NDArray kernels;
        NDArray flat;
        if (MemoryFormat.channelsLast(x.getDevice())) {
            // channels-last input (as the DCGAN discriminator gives it): flattened in (H, W, C) order it is a view,
            // and its gradient comes back channels-last like the activations before it. Flattened (C, H, W) it would
            // be a copy whose gradient is plain, and the batch norm and LeakyReLU before it would run their backward
            // on mixed layouts, off their vectorised paths (6 % of a DCGAN 28×28 step)
            NDArray hwc = w.transpose(0, 2, 3, 1);
            hwc.attach(x.getManager());
            kernels = hwc.reshape(filters, -1);
            flat = x.transpose(0, 2, 3, 1).reshape(n, -1);
        } else {
            kernels = w.reshape(filters, -1);
            kernels.attach(x.getManager());
            flat = x.reshape(n, -1);
        }
        NDArray transposed = kernels.transpose();
        transposed.attach(x.getManager());
        NDArray y = flat.matMul(transposed);
        if (includeBias) {
            NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
            NDArray row = b.reshape(1, filters);
            row.attach(x.getManager());
            y = y.add(row);
        }
        return new NDList(y.reshape(n, filters, 1, 1));
    }

    /**
     * Returns whether an input of this shape is computed as the matrix product.
     *
     * @param input the input shape (N, C, H, W)
     * @return true when the kernel covers the whole unpadded input
     */
    boolean coversInput(Shape input) {
        if (input.dimension() != 4 || groups != 1) {
            return false;
        }
        for (int axis = 0; axis < 2; axis++) {
            if (input.get(2 + axis) != kernelShape.get(axis)
                    || (padding != null && padding.get(axis) != 0)
                    || (dilation != null && dilation.get(axis) != 1)) {
                return false;
            }
        }
        return true;
    }
}
