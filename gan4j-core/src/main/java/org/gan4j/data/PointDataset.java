package org.gan4j.data;

/**
 * Two-dimensional points held in memory, returned as they are.
 *
 * <p>Points are <em>not</em> normalised: only image datasets are scaled to [-1, 1]. A generator for point data should
 * therefore end in an identity (linear) layer, not tanh.
 */
public class PointDataset implements GanDataset {

    private final float[] coordinates;
    private final String description;

    /**
     * Creates a dataset over points stored as (x, y) pairs.
     *
     * @param coordinates x0, y0, x1, y1, …; kept, not copied
     * @param description one line for logs
     */
    public PointDataset(float[] coordinates, String description) {
        if (coordinates.length == 0 || coordinates.length % 2 != 0) {
            throw new IllegalArgumentException("coordinates must hold a positive, even number of values");
        }
        this.coordinates = coordinates;
        this.description = description;
    }

    @Override
    public int size() {
        return coordinates.length / 2;
    }

    @Override
    public long[] exampleShape() {
        return new long[] {2};
    }

    @Override
    public int exampleSize() {
        return 2;
    }

    @Override
    public void copyExample(int index, float[] destination, int offset) {
        destination[offset] = coordinates[2 * index];
        destination[offset + 1] = coordinates[2 * index + 1];
    }

    /**
     * Returns the x coordinate of a point.
     *
     * @param index the point
     * @return its x
     */
    public float x(int index) {
        return coordinates[2 * index];
    }

    /**
     * Returns the y coordinate of a point.
     *
     * @param index the point
     * @return its y
     */
    public float y(int index) {
        return coordinates[2 * index + 1];
    }

    @Override
    public String description() {
        return description;
    }
}
