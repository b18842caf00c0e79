package org.gan4j.evaluation;

import java.util.Random;

/** Seeded synthetic data for the evaluation tests. */
final class TestData {

    private TestData() {
    }

    /** {@code n} samples of a standard normal in {@code dimension} dimensions, shifted by {@code offset}. */
    static double[][] gaussian(int n, int dimension, double offset, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[n][dimension];
        for (double[] row : rows) {
            for (int j = 0; j < dimension; j++) {
                row[j] = offset + random.nextGaussian();
            }
        }
        return rows;
    }

    /** A random symmetric positive definite matrix {@code B Bᵀ / d + ridge I}. */
    static double[][] randomSpd(int dimension, double ridge, long seed) {
        double[][] b = gaussian(dimension, dimension, 0, seed);
        double[][] product = new double[dimension][dimension];
        for (int i = 0; i < dimension; i++) {
            for (int j = 0; j < dimension; j++) {
                double sum = 0;
                for (int k = 0; k < dimension; k++) {
                    sum += b[i][k] * b[j][k];
                }
                product[i][j] = sum / dimension + (i == j ? ridge : 0);
            }
        }
        return product;
    }

    /** A random orthogonal matrix from the eigenvectors of a random symmetric matrix. */
    static double[][] randomOrthogonal(int dimension, long seed) {
        return SymmetricEigen.of(randomSpd(dimension, 0, seed)).eigenvectors();
    }

    /** {@code Q diag(values) Qᵀ} where the rows of {@code q} are orthonormal. */
    static double[][] withEigenvalues(double[][] q, double[] values) {
        int n = values.length;
        double[][] result = new double[n][n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double scaled = values[k] * q[k][i];
                for (int j = 0; j < n; j++) {
                    result[i][j] += scaled * q[k][j];
                }
            }
        }
        return result;
    }

    /** Largest absolute element-wise difference. */
    static double maxAbsDifference(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
