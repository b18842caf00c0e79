package org.gan4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

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
     * Returns this activation as a parameter-free block.
     *
     * @return a block applying the activation to the single input
     */
    public Block block() {
        return new LambdaBlock(list -> new NDList(apply(list.singletonOrThrow())), name().toLowerCase());
    }
}
