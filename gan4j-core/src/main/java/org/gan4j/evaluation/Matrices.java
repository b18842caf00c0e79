package org.gan4j.evaluation;

import java.util.stream.IntStream;

/**
 * Dense matrix helpers used by the metrics: products, traces and the square root of a positive semi-definite
 * matrix. Matrices are {@code double[rows][columns]}; inputs are never modified.
 */
public final class Matrices {

    /** Row count from which products are split over the common fork-join pool; below it threads cost more. */
    private static final int PARALLEL_ROWS = 128;

    private Matrices() {
    }

    /**
     * Multiplies two matrices.
     *
     * <p>Each output row is computed independently in the same order, so the result does not depend on the
     * number of threads.
     *
     * @param a an {@code n × m} matrix
     * @param b an {@code m × p} matrix
     * @return the {@code n × p} product {@code a b}
     */
    public static double[][] multiply(double[][] a, double[][] b) {
        int inner = Checks.matrix("a", a, 1);
        int columns = Checks.matrix("b", b, 1);
        if (b.length != inner) {
            throw new IllegalArgumentException("a has " + inner + " columns but b has " + b.length
                    + " rows; expected equal");
        }
        double[][] product = new double[a.length][columns];
        IntStream rows = IntStream.range(0, a.length);
        if (a.length >= PARALLEL_ROWS) {
            rows = rows.parallel();
        }
        rows.forEach(i -> {
            double[] rowA = a[i];
            double[] out = product[i];
            for (int k = 0; k < inner; k++) {
                double value = rowA[k];
                if (value == 0.0) {
                    continue;
                }
                double[] rowB = b[k];
                for (int j = 0; j < columns; j++) {
                    out[j] += value * rowB[j];
                }
            }
        });
        return product;
    }

    /**
     * Returns the trace of a square matrix.
     *
     * @param matrix a square matrix
     * @return {@code Σ_i matrix[i][i]}
     */
    public static double trace(double[][] matrix) {
        Checks.square("matrix", matrix, matrix == null ? 0 : matrix.length);
        double sum = 0;
        for (int i = 0; i < matrix.length; i++) {
            sum += matrix[i][i];
        }
        return sum;
    }

    /**
     * Returns the symmetric positive semi-definite square root {@code S} of a symmetric PSD matrix, so that
     * {@code S S = A}.
     *
     * <p>Computed from the eigen-decomposition {@code A = V Λ Vᵀ} as {@code S = V max(Λ, 0)^{1/2} Vᵀ}: tiny
     * negative eigenvalues, which rounding produces for singular matrices, are clamped to zero.
     *
     * @param matrix a symmetric positive semi-definite matrix
     * @return its principal square root, exactly symmetric
     */
    public static double[][] sqrtPsd(double[][] matrix) {
        SymmetricEigen eigen = SymmetricEigen.of(matrix);
        double[] values = eigen.eigenvalues();
        double[][] vectors = eigen.eigenvectors();
        int n = values.length;
        // With W_j = λ_j^{1/4} v_j, S = Σ_j W_j W_jᵀ; each row of the result reads rows of W only.
        for (int j = 0; j < n; j++) {
            double scale = Math.sqrt(Math.sqrt(Math.max(values[j], 0.0)));
            double[] row = vectors[j];
            for (int k = 0; k < n; k++) {
                row[k] *= scale;
            }
        }
        double[][] root = new double[n][n];
        IntStream rows = IntStream.range(0, n);
        if (n >= PARALLEL_ROWS) {
            rows = rows.parallel();
        }
        rows.forEach(a -> {
            double[] out = root[a];
            for (int j = 0; j < n; j++) {
                double[] row = vectors[j];
                double value = row[a];
                if (value == 0.0) {
                    continue;
                }
                for (int b = a; b < n; b++) {
                    out[b] += value * row[b];
                }
            }
        });
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                root[b][a] = root[a][b];
            }
        }
        return root;
    }
}
