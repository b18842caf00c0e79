package org.gan4j.data;

import java.util.SplittableRandom;

/**
 * Synthetic two-dimensional datasets, drawn once into memory from a seeded {@link SplittableRandom}.
 *
 * <p>The affine Gaussian is the toy of d2l's "Generative Adversarial Networks" chapter; the ring and grid mixtures are
 * the mode-collapse benchmarks of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018). Points are not
 * normalised (only images are scaled to [-1, 1]); the same seed always gives the same points.
 */
public final class Gaussians {

    private Gaussians() {}

    /**
     * Draws {@code n} points X = Z·A + b with Z ~ N(0, I₂), Z a row vector; so X ~ N(b, AᵀA).
     *
     * @param n the number of points, at least 1
     * @param a the 2×2 matrix A, as rows
     * @param b the offset b, length 2
     * @param seed the random seed
     * @return the points
     */
    public static PointDataset affine(int n, double[][] a, double[] b, long seed) {
        requirePositive(n, "n");
        if (a.length != 2 || a[0].length != 2 || a[1].length != 2 || b.length != 2) {
            throw new IllegalArgumentException("A must be 2×2 and b of length 2");
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] coordinates = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double z0 = random.nextGaussian();
            double z1 = random.nextGaussian();
            coordinates[2 * i] = (float) (z0 * a[0][0] + z1 * a[1][0] + b[0]);
            coordinates[2 * i + 1] = (float) (z0 * a[0][1] + z1 * a[1][1] + b[1]);
        }
        String description =
                String.format(
                        "gaussian X = Z·A + b, A = [[%s, %s], [%s, %s]], b = [%s, %s] (%d points)",
                        a[0][0], a[0][1], a[1][0], a[1][1], b[0], b[1], n);
        return new PointDataset(coordinates, description);
    }

    /**
     * Draws {@code n} points from {@code modes} equally weighted Gaussians centred on a circle, component k at angle
     * 2πk/modes.
     *
     * @param n the number of points, at least 1
     * @param modes the number of components, at least 1
     * @param radius the circle's radius
     * @param std the standard deviation of each component, per coordinate
     * @param seed the random seed
     * @return the points, labelled by component
     */
    public static MixtureDataset ring(int n, int modes, double radius, double std, long seed) {
        requirePositive(modes, "modes");
        double[][] centres = new double[modes][];
        for (int k = 0; k < modes; k++) {
            double angle = 2 * Math.PI * k / modes;
            centres[k] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
        }
        String description =
                String.format("ring of %d Gaussians, radius %s, std %s (%d points)", modes, radius, std, n);
        return mixture(n, centres, std, seed, description);
    }

    /**
     * Draws {@code n} points from {@code side²} equally weighted Gaussians on a square grid centred on the origin:
     * component {@code i·side + j} sits at ((i − (side−1)/2)·spacing, (j − (side−1)/2)·spacing), so side 5 and
     * spacing 2 give {-4, -2, 0, 2, 4}².
     *
     * @param n the number of points, at least 1
     * @param side components per side, at least 1
     * @param spacing distance between neighbouring centres
     * @param std the standard deviation of each component, per coordinate
     * @param seed the random seed
     * @return the points, labelled by component
     */
    public static MixtureDataset grid(int n, int side, double spacing, double std, long seed) {
        requirePositive(side, "side");
        double[][] centres = new double[side * side][];
        double middle = (side - 1) / 2.0;
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                centres[i * side + j] = new double[] {(i - middle) * spacing, (j - middle) * spacing};
            }
        }
        String description =
                String.format("grid of %d×%d Gaussians, spacing %s, std %s (%d points)", side, side, spacing, std, n);
        return mixture(n, centres, std, seed, description);
    }

    private static MixtureDataset mixture(int n, double[][] centres, double std, long seed, String description) {
        requirePositive(n, "n");
        if (!(std >= 0)) {
            throw new IllegalArgumentException("std must be non-negative: " + std);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] coordinates = new float[2 * n];
        int[] components = new int[n];
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(centres.length);
            components[i] = k;
            coordinates[2 * i] = (float) (centres[k][0] + std * random.nextGaussian());
            coordinates[2 * i + 1] = (float) (centres[k][1] + std * random.nextGaussian());
        }
        return new MixtureDataset(coordinates, components, centres, std, description);
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }
}
