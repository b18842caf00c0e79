package org.gan4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;

/** Reads several scalars back from the engine in one host round-trip. */
final class HostValues {

    private HostValues() {}

    /**
     * Stacks scalar arrays and copies them to the host at once.
     *
     * @param scalars scalar arrays (same manager)
     * @return their values in order
     */
    static float[] stackScalars(NDArray... scalars) {
        try (NDArray stacked = NDArrays.stack(new NDList(scalars))) {
            return stacked.toFloatArray();
        }
    }
}
