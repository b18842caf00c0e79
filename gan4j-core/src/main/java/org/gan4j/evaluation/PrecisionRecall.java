package org.gan4j.evaluation;

/**
 * Improved precision and recall of Kynkäänniemi et al., "Improved Precision and Recall Metric for Assessing
 * Generative Models" (NeurIPS 2019).
 *
 * <p>Each set approximates its manifold by the union of balls around its points, each ball's radius being the
 * distance to the point's {@code k}-th nearest neighbour in the same set ({@code NND_k}, the point itself
 * excluded):
 *
 * <pre>
 *   manifold(Φ) = ∪_{φ ∈ Φ} B(φ, NND_k(φ))
 *   precision   = (1/M) Σ_j 1[ fake_j ∈ manifold(real) ]     (fidelity: fakes that look real)
 *   recall      = (1/N) Σ_i 1[ real_i ∈ manifold(fake) ]     (diversity: reals the generator covers)
 * </pre>
 *
 * <p>A point on a ball's boundary is inside ({@code ≤}), as in the authors' code. Distances are Euclidean; time is
 * {@code O((N + M)² d)} and memory {@code O(N + M)}. Both values lie in {@code [0, 1]}; higher is better.
 *
 * @param precision the fraction of fake samples inside the real manifold
 * @param recall the fraction of real samples inside the fake manifold
 * @param k the neighbour rank used for the radii
 */
public record PrecisionRecall(double precision, double recall, int k) {

    /** Default neighbour rank, as recommended by Kynkäänniemi et al. */
    public static final int DEFAULT_K = 3;

    /**
     * Computes precision and recall with the default {@code k} = {@value #DEFAULT_K}.
     *
     * @param real real features, one sample per row, more than {@code k} rows
     * @param fake generated features, same dimension, more than {@code k} rows
     * @return precision and recall
     */
    public static PrecisionRecall compute(double[][] real, double[][] fake) {
        return compute(real, fake, DEFAULT_K);
    }

    /**
     * Computes precision and recall with the given neighbour rank.
     *
     * @param real real features, one sample per row, more than {@code k} rows
     * @param fake generated features, same dimension, more than {@code k} rows
     * @param k the neighbour rank, at least 1
     * @return precision and recall
     */
    public static PrecisionRecall compute(double[][] real, double[][] fake, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k is " + k + "; expected at least 1");
        }
        Checks.sameDimension("real", Checks.matrix("real", real, k + 1), "fake", Checks.matrix("fake", fake, k + 1));
        double[] realRadii = NearestNeighbours.kthNeighbourSquaredDistances(real, k);
        double[] fakeRadii = NearestNeighbours.kthNeighbourSquaredDistances(fake, k);
        double precision = NearestNeighbours.fractionInsideAnyBall(fake, real, realRadii, false);
        double recall = NearestNeighbours.fractionInsideAnyBall(real, fake, fakeRadii, false);
        return new PrecisionRecall(precision, recall, k);
    }
}
