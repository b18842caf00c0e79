package org.gan4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.Locale;
import org.gan4j.Gan4jException;

/** Element-wise activation functions used by the gan4j architectures. */
public enum Activation {
    /** max(0, x). */
    RELU,
    /** max(0.2 x, x), the DCGAN discriminator's choice. */
    LEAKY_RELU,
    /** tanh(x). */
    TANH,
    /** 1 / (1 + exp(-x)). */
    SIGMOID,
    /** x. */
    IDENTITY;

    /**
     * Applies this activation.
     *
     * @param x the input
     * @return the activated array
     */
    public NDArray apply(NDArray x) {
        switch (this) {
            case RELU:
                return ai.djl.nn.Activation.relu(x);
            case LEAKY_RELU:
                return ai.djl.nn.Activation.leakyRelu(x, 0.2f);
            case TANH:
                return x.tanh();
            case SIGMOID:
                return ai.djl.nn.Activation.sigmoid(x);
            case IDENTITY:
                return x;
            default:
                throw new IllegalStateException("unknown activation " + this);
        }
    }

    /**
     * Applies this activation, overwriting the input where it is ReLU or LeakyReLU (libtorch's {@code relu_} and
     * {@code leaky_relu_}, through one-operator TorchScript modules, resources made by
     * {@code gan4j-core/src/main/torchscript/make_inplace_activations.py}); the others, or all of them when the system
     * property {@value #IN_PLACE_PROPERTY} is {@code false}, as {@link #apply}. The values and gradients are exactly
     * those of {@link #apply}: autograd computes the gradient from the output, whose sign is the input's.
     *
     * <p>Only for an input that nothing else reads afterwards and whose producer's backward pass does not need it:
     * the output of a convolution or of {@link org.gan4j.nn.layers.BatchNorm} (not DJL's, whose output is a view),
     * as in pytorch/examples' DCGAN. It saves the activation's output array and its memory traffic: on the development
     * machine 3–4 % of a DCGAN 64×64 training step (docs/PERFORMANCE.md).
     *
     * @param x the input, overwritten for ReLU and LeakyReLU
     * @return the activated array (x itself, or a new array)
     */
    public NDArray applyInPlace(NDArray x) {
        String resource;
        switch (this) {
            case RELU:
                resource = "relu_inplace.pt";
                break;
            case LEAKY_RELU:
                resource = "leaky_relu_inplace.pt";
                break;
            default:
                return apply(x);
        }
        if (!inPlaceEnabled()) {
            return apply(x);
        }
        PtSymbolBlock module = TorchScriptModules.get(Activation.class, resource, x.getDevice());
        // training mode: the module runs without InferenceMode, so autograd records it when gradients are collected
        return IValueUtils.forward(module, new NDList(x), true).singletonOrThrow();
    }

    /**
     * Returns this activation as a parameter-free block.
     *
     * @return a block applying the activation to the single input
     */
    public Block block() {
        return new LambdaBlock(list -> new NDList(apply(list.singletonOrThrow())), name().toLowerCase());
    }

    /**
     * Returns this activation as a parameter-free block that overwrites its input ({@link #applyInPlace}): only
     * after a layer whose output nothing else reads.
     *
     * @return a block applying the activation in place to the single input
     */
    public Block inPlaceBlock() {
        return new LambdaBlock(list -> new NDList(applyInPlace(list.singletonOrThrow())), name().toLowerCase());
    }

    /** The system property that turns the in-place activations off ({@code false}); on by default. */
    public static final String IN_PLACE_PROPERTY = "gan4j.inplace_activations";

    /**
     * Says whether {@link #applyInPlace} overwrites its input, as {@link #IN_PLACE_PROPERTY} selects.
     *
     * @return true unless the property is {@code false}
     * @throws Gan4jException if the property has a value other than true or false
     */
    public static boolean inPlaceEnabled() {
        String value = System.getProperty(IN_PLACE_PROPERTY);
        if (value == null || value.isBlank()) {
            return true;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new Gan4jException(
                        "system property " + IN_PLACE_PROPERTY + ": expected true or false, got '" + value + "'");
        }
    }
}
