package org.gan4j.evaluation;

import java.util.Arrays;

/**
 * Eigen-decomposition {@code A = Σ_j λ_j v_j v_jᵀ} of a real symmetric matrix.
 *
 * <p>The matrix is first reduced to tridiagonal form by Householder reflections and then diagonalised by the
 * implicit QL algorithm with Wilkinson-style shifts (Wilkinson and Reinsch, <i>Handbook for Automatic
 * Computation II: Linear Algebra</i>, 1971, procedures tred2 and tql2; the same algorithm as EISPACK and JAMA).
 * The reduction is backward stable: computed eigenvalues are exact for a matrix within a few ulps of {@code A}
 * in norm. The storage is arranged so that every inner loop walks a row, which keeps a 512 × 512 decomposition
 * well under a second.
 *
 * @param eigenvalues the eigenvalues in ascending order
 * @param eigenvectors {@code eigenvectors[j]} is the unit eigenvector for {@code eigenvalues[j]} (a row, not a
 *     column); empty when only eigenvalues were requested
 */
public record SymmetricEigen(double[] eigenvalues, double[][] eigenvectors) {

    /**
     * Copies the arrays so that the record is immutable.
     *
     * @param eigenvalues the eigenvalues in ascending order
     * @param eigenvectors one unit eigenvector per row, or an empty array
     */
    public SymmetricEigen {
        eigenvalues = eigenvalues.clone();
        eigenvectors = Checks.copy(eigenvectors);
    }

    /**
     * Decomposes a symmetric matrix into eigenvalues and eigenvectors.
     *
     * <p>The matrix is symmetrised as {@code (A + Aᵀ)/2} first, so tiny asymmetries from rounding do no harm.
     *
     * @param matrix a square symmetric matrix with finite entries; not modified
     * @return the eigenvalues (ascending) and matching unit eigenvectors
     */
    public static SymmetricEigen of(double[][] matrix) {
        double[][] work = symmetrisedCopy(matrix);
        int n = work.length;
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[n];
        householderTridiagonalise(work, diagonal, offDiagonal, true);
        implicitQl(diagonal, offDiagonal, work);
        return new SymmetricEigen(diagonal, work);
    }

    /**
     * Computes only the eigenvalues of a symmetric matrix, which is several times cheaper than {@link #of}.
     *
     * @param matrix a square symmetric matrix with finite entries; not modified
     * @return the eigenvalues in ascending order
     */
    public static double[] eigenvaluesOf(double[][] matrix) {
        double[][] work = symmetrisedCopy(matrix);
        int n = work.length;
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[n];
        householderTridiagonalise(work, diagonal, offDiagonal, false);
        implicitQl(diagonal, offDiagonal, null);
        return diagonal;
    }

    /**
     * Returns the eigenvalues in ascending order.
     *
     * @return a copy of the eigenvalues
     */
    @Override
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /**
     * Returns the eigenvectors, one unit vector per row, in the order of {@link #eigenvalues()}.
     *
     * @return a copy of the eigenvectors (empty if only eigenvalues were computed)
     */
    @Override
    public double[][] eigenvectors() {
        return Checks.copy(eigenvectors);
    }

    /**
     * Compares eigenvalues and eigenvectors element by element.
     *
     * @param other the object to compare with
     * @return whether both hold equal arrays
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof SymmetricEigen that
                && Arrays.equals(eigenvalues, that.eigenvalues)
                && Arrays.deepEquals(eigenvectors, that.eigenvectors);
    }

    /**
     * Hashes the array contents.
     *
     * @return a hash consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(eigenvalues) + Arrays.deepHashCode(eigenvectors);
    }

    /**
     * Describes the eigenvalues.
     *
     * @return a short text with the eigenvalues
     */
    @Override
    public String toString() {
        return "SymmetricEigen[eigenvalues=" + Arrays.toString(eigenvalues) + "]";
    }

    private static double[][] symmetrisedCopy(double[][] matrix) {
        Checks.square("matrix", matrix, matrix == null ? 0 : matrix.length);
        int n = matrix.length;
        double[][] copy = new double[n][n];
        for (int i = 0; i < n; i++) {
            copy[i][i] = matrix[i][i];
            for (int j = i + 1; j < n; j++) {
                double value = 0.5 * (matrix[i][j] + matrix[j][i]);
                copy[i][j] = value;
                copy[j][i] = value;
            }
        }
        return copy;
    }

    /**
     * Householder reduction to tridiagonal form (tred2), on the transpose of the classic storage so that inner
     * loops walk rows. On return {@code diagonal} and {@code offDiagonal[1..n-1]} hold the tridiagonal matrix and,
     * when {@code accumulate} is set, row {@code j} of {@code w} holds column {@code j} of the orthogonal
     * transformation.
     */
    private static void householderTridiagonalise(
            double[][] w, double[] diagonal, double[] offDiagonal, boolean accumulate) {
        int n = w.length;
        double[] d = diagonal;
        double[] e = offDiagonal;
        for (int j = 0; j < n; j++) {
            d[j] = w[j][n - 1];
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0.0;
            double h = 0.0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0.0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = w[j][i - 1];
                    w[j][i] = 0.0;
                    w[i][j] = 0.0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) {
                    e[j] = 0.0;
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    double[] rowJ = w[j];
                    w[i][j] = f;
                    g = e[j] + rowJ[j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += rowJ[k] * d[k];
                        e[k] += rowJ[k] * f;
                    }
                    e[j] = g;
                }
                f = 0.0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    double[] rowJ = w[j];
                    for (int k = j; k <= i - 1; k++) {
                        rowJ[k] -= f * e[k] + g * d[k];
                    }
                    d[j] = rowJ[i - 1];
                    rowJ[i] = 0.0;
                }
            }
            d[i] = h;
        }
        if (!accumulate) {
            for (int i = 0; i < n; i++) {
                d[i] = w[i][i];
            }
            e[0] = 0.0;
            return;
        }
        for (int i = 0; i < n - 1; i++) {
            w[i][n - 1] = w[i][i];
            w[i][i] = 1.0;
            double h = d[i + 1];
            double[] next = w[i + 1];
            if (h != 0.0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = next[k] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double[] rowJ = w[j];
                    double g = 0.0;
                    for (int k = 0; k <= i; k++) {
                        g += next[k] * rowJ[k];
                    }
                    for (int k = 0; k <= i; k++) {
                        rowJ[k] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                next[k] = 0.0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = w[j][n - 1];
            w[j][n - 1] = 0.0;
        }
        w[n - 1][n - 1] = 1.0;
        e[0] = 0.0;
    }

    /**
     * Implicit QL iteration on a symmetric tridiagonal matrix (tql2). On return {@code d} holds the eigenvalues in
     * ascending order and, if {@code vectors} is not null, its rows are the matching eigenvectors.
     */
    private static void implicitQl(double[] d, double[] e, double[][] vectors) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0.0;
        double f = 0.0;
        double largest = 0.0;
        double epsilon = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            largest = Math.max(largest, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > epsilon * largest) {
                m++;
            }
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > 100) {
                        throw new ArithmeticException("eigenvalue iteration did not converge");
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = hypot(p, 1.0);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (vectors != null) {
                            double[] rowI = vectors[i];
                            double[] rowNext = vectors[i + 1];
                            for (int k = 0; k < n; k++) {
                                double value = rowNext[k];
                                rowNext[k] = s * rowI[k] + c * value;
                                rowI[k] = c * rowI[k] - s * value;
                            }
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > epsilon * largest);
            }
            d[l] += f;
            e[l] = 0.0;
        }
        for (int i = 0; i < n - 1; i++) {
            int smallest = i;
            for (int j = i + 1; j < n; j++) {
                if (d[j] < d[smallest]) {
                    smallest = j;
                }
            }
            if (smallest != i) {
                double value = d[i];
                d[i] = d[smallest];
                d[smallest] = value;
                if (vectors != null) {
                    double[] row = vectors[i];
                    vectors[i] = vectors[smallest];
                    vectors[smallest] = row;
                }
            }
        }
    }

    /** {@code sqrt(a² + b²)} without overflow; cheaper than {@link Math#hypot}, which is correctly rounded. */
    private static double hypot(double a, double b) {
        double absA = Math.abs(a);
        double absB = Math.abs(b);
        if (absA > absB) {
            double ratio = b / a;
            return absA * Math.sqrt(1 + ratio * ratio);
        }
        if (absB != 0) {
            double ratio = a / b;
            return absB * Math.sqrt(1 + ratio * ratio);
        }
        return 0.0;
    }
}
