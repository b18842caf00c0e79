package org.gan4j.training;

/**
 * A source of real batches addressed by a global batch index; batch b must be a pure function of b.
 */
public interface RealBatches extends AutoCloseable {

    /**
     * Returns the next batch's data (NCHW or N×D floats, row-major), blocking until it is ready.
     *
     * @return the data of batch {@code index}, in order from the first index requested
     */
    float[] next();

    /**
     * Returns the number of whole batches per epoch.
     *
     * @return batches per epoch
     */
    int batchesPerEpoch();

    /**
     * Returns the total time {@link #next()} has spent waiting so far.
     *
     * @return nanoseconds
     */
    long waitNanos();

    @Override
    void close();

    /**
     * Adapts gan4j's background batch loader.
     *
     * @param loader the loader, positioned at the first batch to train on
     * @return the loader's batches; closing it closes the loader
     */
    static RealBatches of(org.gan4j.data.BatchLoader loader) {
        return new RealBatches() {
            @Override
            public float[] next() {
                return loader.next().data();
            }

            @Override
            public int batchesPerEpoch() {
                return loader.batchesPerEpoch();
            }

            @Override
            public long waitNanos() {
                return loader.waitNanos();
            }

            @Override
            public void close() {
                loader.close();
            }
        };
    }
}
