package org.gan4j.data;

/**
 * A finite, indexable set of real examples, already normalised: images to [-1, 1] in CHW order, points as they are.
 *
 * <p>Implementations hold their data in memory in whatever compact form suits them (bytes for images) and convert
 * on {@link #copyExample}. They are immutable after construction and safe to read from several threads.
 */
public interface GanDataset {

    /**
     * Returns the number of examples.
     *
     * @return the number of examples, at least 1
     */
    int size();

    /**
     * Returns the shape of one example: {@code [2]} for points, {@code [C, H, W]} for images.
     *
     * @return a fresh copy of the example shape
     */
    long[] exampleShape();

    /**
     * Returns the number of floats in one example.
     *
     * @return the product of {@link #exampleShape()}
     */
    default int exampleSize() {
        long n = 1;
        for (long d : exampleShape()) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /**
     * Copies one normalised example into {@code destination} starting at {@code offset}.
     *
     * @param index the example, 0 ≤ index &lt; size()
     * @param destination where to write {@link #exampleSize()} floats
     * @param offset the first index written
     */
    void copyExample(int index, float[] destination, int offset);

    /**
     * Returns the memory the examples occupy: one byte per value for images, four (a float) for points.
     *
     * @return bytes
     */
    default long memoryBytes() {
        return (long) size() * exampleSize() * Float.BYTES;
    }

    /**
     * Returns the class label of an example, or -1 when the dataset has no labels.
     *
     * @param index the example
     * @return its label in [0, classCount()), or -1
     */
    default int label(int index) {
        return -1;
    }

    /**
     * Returns the number of classes, or 0 when the dataset has no labels.
     *
     * @return the class count
     */
    default int classCount() {
        return 0;
    }

    /**
     * Whether examples are 2-D points rather than images.
     *
     * @return true for point data
     */
    default boolean isPoints() {
        return exampleShape().length == 1;
    }

    /**
     * Describes the dataset in one line for logs and run.json (kind, source, count, shape).
     *
     * @return the description
     */
    String description();
}
