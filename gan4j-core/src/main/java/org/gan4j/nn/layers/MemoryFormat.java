package org.gan4j.nn.layers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.util.Pair;
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
 * <p>The trainer stores the convolution weights channels-last too ({@link #weightsToPreferred}), so that libtorch does
 * not copy them to that format on every call, and gives the optimizer's moments their parameter's layout
 * ({@link #matchLayout}).
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
    private static final String WEIGHTS_RESOURCE = "weights_channels_last.pt";
    private static final String MATCH_RESOURCE = "match_layout.pt";

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

    /**
     * Stores the 4-D parameters of a block (convolution and transposed-convolution weights) channels-last in place
     * when {@link #channelsLast(Device)} selects it for their device: the same arrays, values and shapes, their
     * storage re-laid N, H, W, C. libtorch otherwise copies each plain weight to channels-last on every convolution
     * call, forward and backward, and converts its weight gradient back (2.3 % of a DCGAN 64×64 step on the
     * development machine). Gradients follow the parameters' layout. Arrays with one channel or one element per map
     * (the same memory in both layouts) stay as they are. Checkpoints are unaffected (DJL writes values in logical
     * order); arrays loaded from one take their parameter's layout with {@link #matchLayout}, as must whatever matches
     * the parameters element by element in memory (the optimizer's moments).
     *
     * @param block the block whose parameters to re-lay
     */
    public static void weightsToPreferred(Block block) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray array = pair.getValue().getArray();
            if (array.getShape().dimension() == 4 && channelsLast(array.getDevice())) {
                toWeightLayout(array);
            }
        }
    }

    /**
     * Gives an array the memory layout of another of the same shape, in place (values and shape stay): channels-last
     * when {@code like} is stored channels-last, plain when {@code like} is plain. For arrays that must match a
     * parameter element by element in memory: libtorch's fused Adam kernel walks parameter, gradient and moments in
     * memory order, and DJL makes new arrays plain ({@code zerosLike}, {@code set}, loading).
     *
     * @param target the array to re-lay
     * @param like the array whose layout to take
     */
    public static void matchLayout(NDArray target, NDArray like) {
        PtSymbolBlock module = TorchScriptModules.get(MemoryFormat.class, MATCH_RESOURCE, target.getDevice());
        IValueUtils.forward(module, new NDList(target, like), true).singletonOrThrow().close();
    }

    /**
     * Stores a 4-D array channels-last in place (whatever the property says) unless it has one channel or one element
     * per map; other arrays are left alone. The rule depends on the shape only, so that a parameter and arrays of its
     * shape re-laid by it agree.
     *
     * @param array the array, changed in place (values and shape stay)
     */
    public static void toWeightLayout(NDArray array) {
        PtSymbolBlock module = TorchScriptModules.get(MemoryFormat.class, WEIGHTS_RESOURCE, array.getDevice());
        IValueUtils.forward(module, new NDList(array), true).singletonOrThrow().close();
    }
}
