package org.gan4j.evaluation;

/**
 * Fréchet distance between two Gaussians fitted to feature vectors: with Inception features this is the FID of
 * Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium" (NeurIPS
 * 2017).
 *
 * <pre>
 *   FD = ||μ_a − μ_b||² + Tr(Σ_a + Σ_b − 2 (Σ_a Σ_b)^{1/2})
 * </pre>
 *
 * <p>{@code Σ_a Σ_b} is not symmetric, so its square root is not computed directly. Instead, with
 * {@code S = Σ_a^{1/2}}, the matrix {@code S Σ_b S} is symmetric PSD and similar to {@code Σ_a Σ_b} (when
 * {@code Σ_a} is invertible; by continuity otherwise), so {@code Tr((Σ_a Σ_b)^{1/2}) = Σ_i sqrt(λ_i(S Σ_b S))}.
 * Eigenvalues that rounding makes slightly negative are clamped to zero, and the result, which is non-negative in
 * exact arithmetic, is clamped to zero as well. This avoids the complex-valued {@code sqrtm} and its
 * "imaginary component" workarounds in the reference code.
 *
 * <p>Cost: one eigen-decomposition with vectors, two matrix products and one eigenvalue-only decomposition, all
 * {@code O(d³)}; for {@code d = 512} well under a second.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /**
     * Fréchet distance between the Gaussians fitted to two sets of feature statistics (unbiased covariances).
     *
     * @param a statistics of the first set (for example real data), at least two samples
     * @param b statistics of the second set (for example generated data), at least two samples, same dimension
     * @return the squared Fréchet distance, at least 0
     */
    public static double between(FeatureStatistics a, FeatureStatistics b) {
        Checks.sameDimension("a", a.dimension(), "b", b.dimension());
        return betweenGaussians(a.mean(), a.covariance(), b.mean(), b.covariance());
    }

    /**
     * Fréchet distance between {@code N(mu1, cov1)} and {@code N(mu2, cov2)}.
     *
     * @param mu1 mean of the first Gaussian
     * @param cov1 covariance of the first Gaussian, symmetric PSD
     * @param mu2 mean of the second Gaussian, same dimension
     * @param cov2 covariance of the second Gaussian, symmetric PSD
     * @return {@code ||mu1 − mu2||² + Tr(cov1 + cov2 − 2 (cov1 cov2)^{1/2})}, at least 0
     */
    public static double betweenGaussians(double[] mu1, double[][] cov1, double[] mu2, double[][] cov2) {
        int dimension = Checks.vector("mu1", mu1);
        Checks.sameDimension("mu1", dimension, "mu2", Checks.vector("mu2", mu2));
        Checks.square("cov1", cov1, dimension);
        Checks.square("cov2", cov2, dimension);
        double meanTerm = Checks.squaredDistance(mu1, mu2);
        double traceTerm = Matrices.trace(cov1) + Matrices.trace(cov2) - 2 * traceOfSqrtProduct(cov1, cov2);
        return Math.max(0.0, meanTerm + traceTerm);
    }

    /**
     * Returns {@code Tr((A B)^{1/2})} for symmetric PSD {@code A}, {@code B}, as the sum of square roots of the
     * eigenvalues of {@code A^{1/2} B A^{1/2}}.
     *
     * @param a a symmetric PSD matrix
     * @param b a symmetric PSD matrix of the same size
     * @return the trace of the square root of their product, at least 0
     */
    public static double traceOfSqrtProduct(double[][] a, double[][] b) {
        double[][] root = Matrices.sqrtPsd(a);
        double[][] inner = Matrices.multiply(Matrices.multiply(root, b), root);
        double sum = 0;
        for (double eigenvalue : SymmetricEigen.eigenvaluesOf(inner)) {
            sum += Math.sqrt(Math.max(eigenvalue, 0.0));
        }
        return sum;
    }
}
