package org.gan4j.data;

/**
 * Points drawn from an equally weighted mixture of isotropic Gaussians, labelled with the component that drew them.
 *
 * <p>The centres and the common standard deviation are exposed for mode-coverage metrics (PacGAN's "modes captured"
 * and "high-quality samples"). Points are not normalised.
 */
public final class MixtureDataset extends PointDataset {

    private final int[] components;
    private final double[][] centres;
    private final double std;

    /**
     * Creates a mixture dataset.
     *
     * @param coordinates x0, y0, x1, y1, …; kept, not copied
     * @param components the component index of every point; kept, not copied
     * @param centres the component centres, one (x, y) pair each
     * @param std the standard deviation of every component, per coordinate
     * @param description one line for logs
     */
    public MixtureDataset(float[] coordinates, int[] components, double[][] centres, double std, String description) {
        super(coordinates, description);
        if (components.length != coordinates.length / 2) {
            throw new IllegalArgumentException("one component index per point is required");
        }
        this.components = components;
        this.centres = copy(centres);
        this.std = std;
    }

    /**
     * Returns the component centres.
     *
     * @return a fresh copy, one {x, y} row per component
     */
    public double[][] centres() {
        return copy(centres);
    }

    /**
     * Returns the standard deviation of every component, per coordinate.
     *
     * @return the std
     */
    public double std() {
        return std;
    }

    /**
     * Returns the component index that drew a point.
     *
     * @param index the point
     * @return the component in [0, classCount())
     */
    @Override
    public int label(int index) {
        return components[index];
    }

    /**
     * Returns the number of mixture components.
     *
     * @return the component count
     */
    @Override
    public int classCount() {
        return centres.length;
    }

    private static double[][] copy(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }
}
