package org.gan4j.nn.layers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.Locale;
import org.gan4j.Gan4jException;
import org.gan4j.nn.TorchScriptModules;

/**
 * The memory format of the DCGAN networks' image-shaped activations: plain (N, C, H, W) strides, or channels-last
 * (the same shape, stored N, H, W, C), as PyTorch's {@code x.contiguous(memory_format=torch.channels_last)}.
 *
 * <p>With plain strides, libtorch's oneDNN path converts every convolution's input, output and gradients to oneDNN's
 * blocked layout and back (the {@code reorder}s of {@code ONEDNN_VERBOSE}); given channels-last arrays it runs its
 * NHWC kernels directly, and batch norm and the activations keep the format. The discriminator converts its input once,
 * the generator's projection of z its output, and each transposed convolution its input (a no-op once the generator's
 * activations are channels-last), so both networks run channels-last end to end. Every activation and its gradient
 * must agree: libtorch's element-wise backward kernels leave their vectorised loops when the two come in different
 * layouts (why {@link MatMulConv2d} flattens channels-last input in (H, W, C) order). On the development machine
 * (libtorch 2.7.1, 2 AMD Zen 5 cores) that made a DCGAN 64×64 training step 8–15 % faster and the 28×28 step about
 * 10 % (docs/PERFORMANCE.md).
 *
 * <p>One-channel arrays and 1×1 maps have the same memory in both layouts; libtorch's {@code contiguous(channels_last)}
 * returns them with plain strides, from which its convolutions infer the plain format. The conversion gives them the
 * channels-last strides instead, so a one-channel discriminator runs channels-last too.
 *
 * <p>The values, shapes, parameters and checkpoints are the same in both formats; only the float rounding of the
 * convolutions differs (other kernels), so runs are reproducible within one format. Selected by the system property
 * {@code gan4j.memory_format}: {@code channels-last}, {@code contiguous}, or unset (channels-last on the CPU, plain on a
 * GPU, where it has not been measured).
 */
public final class MemoryFormat {

    /** The system property that selects the format. */
    public static final String PROPERTY = "gan4j.memory_format";

    private static final String MODULE_RESOURCE = "channels_last.pt";

    private MemoryFormat() {}

    /**
     * Says whether the DCGAN networks run channels-last on a device, as {@link #PROPERTY} selects.
     *
     * @param device the device
     * @return true for channels-last
     * @throws Gan4jException if the property has a value other than channels-last or contiguous
     */
    public static boolean channelsLast(Device device) {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return !device.isGpu();
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "channels-last":
            case "channels_last":
                return true;
            case "contiguous":
                return false;
            default:
                throw new Gan4jException(
                        "system property " + PROPERTY + ": expected channels-last or contiguous, got '" + value + "'");
        }
    }

    /**
     * Returns a 4-D array in the format {@link #channelsLast(Device)} selects for its device: a channels-last copy
     * (recorded by autograd), or the array itself when it already has that format, is plain by choice or is not 4-D.
     * The copy belongs to the array's manager.
     *
     * @param x the array
     * @return x or its channels-last copy, equal in values and shape
     */
    public static NDArray preferred(NDArray x) {
        if (x.getShape().dimension() != 4 || !channelsLast(x.getDevice())) {
            return x;
        }
        return toChannelsLast(x);
    }

    /**
     * Returns a 4-D array with channels-last strides, whatever the property says (a no-op view when it already has
     * them). The result belongs to the array's manager.
     *
     * @param x an (N, C, H, W) array
     * @return an array with the same values and shape, stored N, H, W, C
     */
    public static NDArray toChannelsLast(NDArray x) {
        if (x.getShape().dimension() != 4) {
            throw new IllegalArgumentException("channels-last needs a 4-D (N, C, H, W) array, got " + x.getShape());
        }
        PtSymbolBlock module = TorchScriptModules.get(MemoryFormat.class, MODULE_RESOURCE, x.getDevice());
        // training mode: the module runs without InferenceMode, so autograd records it when gradients are collected
        return IValueUtils.forward(module, new NDList(x), true).singletonOrThrow();
    }
}
