package org.gan4j.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collection;

/** Runs a sequence of layers, releasing each intermediate activation's handle as soon as the next layer has run. */
public final class Layers {

    private Layers() {}

    /**
     * Runs {@code layers} one after the other on {@code inputs}, like DJL's {@code SequentialBlock}, but closes each
     * intermediate array (never the caller's inputs, never an array the next layer returned) once the next layer
     * has run.
     *
     * @param layers the layers, in order
     * @param parameterStore the parameter store
     * @param inputs the caller's inputs
     * @param training whether the layers run in training mode
     * @param params extra parameters, passed to every layer
     * @return the last layer's output
     */
    public static NDList forwardReleasing(
            Collection<Block> layers,
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        for (Block layer : layers) {
            NDList next = layer.forward(parameterStore, current, training, params);
            if (current != inputs) {
                release(current, inputs, next);
            }
            current = next;
        }
        return current;
    }

    private static void release(NDList done, NDList inputs, NDList next) {
        for (NDArray array : done) {
            if (!containsSame(inputs, array) && !containsSame(next, array)) {
                array.close();
            }
        }
    }

    private static boolean containsSame(NDList list, NDArray array) {
        for (NDArray other : list) {
            if (other == array) {
                return true;
            }
        }
        return false;
    }
}
