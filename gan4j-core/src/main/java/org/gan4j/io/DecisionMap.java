package org.gan4j.io;

import java.util.Objects;

/**
 * The discriminator's probability D(x) = P(real) sampled on a square grid over a 2-D region, for scatter plots.
 *
 * <p>The grid has {@code resolution × resolution} cells; cell {@code (ix, iy)} is centred at
 * {@code x = xMin + (ix + 0.5) (xMax − xMin) / resolution} and {@code y = yMin + (iy + 0.5) (yMax − yMin) /
 * resolution}, and its probability is {@code probability[iy * resolution + ix]} (row-major, y rows from the
 * bottom). {@link #gridPoints} returns exactly these centres, in this order, for the caller to evaluate D on.
 * Probabilities may be NaN (drawn grey, no contour there).
 *
 * @param xMin left edge of the region
 * @param xMax right edge, greater than xMin
 * @param yMin bottom edge of the region
 * @param yMax top edge, greater than yMin
 * @param resolution cells per side, at least 2
 * @param probability {@code resolution²} values in [0, 1], row-major
 */
public record DecisionMap(double xMin, double xMax, double yMin, double yMax, int resolution, float[] probability) {

    /**
     * Validates the region and the array length.
     *
     * @param xMin left edge
     * @param xMax right edge
     * @param yMin bottom edge
     * @param yMax top edge
     * @param resolution cells per side
     * @param probability the values
     */
    public DecisionMap {
        checkRegion(xMin, xMax, yMin, yMax, resolution);
        Objects.requireNonNull(probability, "probability");
        if (probability.length != resolution * resolution) {
            throw new IllegalArgumentException(String.format(
                    "probability needs resolution^2 = %d values, got %d", resolution * resolution,
                    probability.length));
        }
    }

    /**
     * Returns the cell centres of a grid as interleaved (x, y) pairs in the row-major order of
     * {@link #probability()}: {@code [x(0), y(0), x(1), y(0), ..., x(res−1), y(res−1)]}.
     *
     * @param xMin left edge
     * @param xMax right edge
     * @param yMin bottom edge
     * @param yMax top edge
     * @param resolution cells per side, at least 2
     * @return {@code 2 · resolution²} floats
     */
    public static float[] gridPoints(double xMin, double xMax, double yMin, double yMax, int resolution) {
        checkRegion(xMin, xMax, yMin, yMax, resolution);
        float[] points = new float[2 * resolution * resolution];
        for (int iy = 0; iy < resolution; iy++) {
            for (int ix = 0; ix < resolution; ix++) {
                int index = 2 * (iy * resolution + ix);
                points[index] = (float) centre(xMin, xMax, resolution, ix);
                points[index + 1] = (float) centre(yMin, yMax, resolution, iy);
            }
        }
        return points;
    }

    /**
     * Returns the x coordinate of a cell column's centre.
     *
     * @param ix the column, 0 to resolution − 1
     * @return {@code xMin + (ix + 0.5) (xMax − xMin) / resolution}
     */
    public double x(int ix) {
        return centre(xMin, xMax, resolution, ix);
    }

    /**
     * Returns the y coordinate of a cell row's centre.
     *
     * @param iy the row, 0 to resolution − 1 (0 is the bottom)
     * @return {@code yMin + (iy + 0.5) (yMax − yMin) / resolution}
     */
    public double y(int iy) {
        return centre(yMin, yMax, resolution, iy);
    }

    /**
     * Returns the probability of a cell.
     *
     * @param ix the column
     * @param iy the row
     * @return {@code probability[iy * resolution + ix]}
     */
    public float at(int ix, int iy) {
        return probability[iy * resolution + ix];
    }

    private static double centre(double min, double max, int resolution, int index) {
        return min + (index + 0.5) * (max - min) / resolution;
    }

    private static void checkRegion(double xMin, double xMax, double yMin, double yMax, int resolution) {
        if (!(Double.isFinite(xMin) && Double.isFinite(xMax) && xMin < xMax
                && Double.isFinite(yMin) && Double.isFinite(yMax) && yMin < yMax)) {
            throw new IllegalArgumentException(String.format(
                    "invalid region x [%s, %s], y [%s, %s]: need finite min < max", xMin, xMax, yMin, yMax));
        }
        if (resolution < 2) {
            throw new IllegalArgumentException("resolution must be at least 2, got " + resolution);
        }
    }
}
