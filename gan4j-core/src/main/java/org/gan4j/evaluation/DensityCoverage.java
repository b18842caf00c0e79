package org.gan4j.evaluation;

/**
 * Density and coverage of Naeem et al., "Reliable Fidelity and Diversity Metrics for Generative Models" (ICML
 * 2020).
 *
 * <p>Only the real samples get balls, of radius {@code NND_k(x_i)} (distance to the {@code k}-th nearest other real
 * sample), which makes both metrics robust to outlying fakes:
 *
 * <pre>
 *   density  = 1/(k M) Σ_j Σ_i 1[ ||fake_j − real_i|| &lt; NND_k(real_i) ]
 *   coverage = 1/N     Σ_i     1[ min_j ||fake_j − real_i|| &lt; NND_k(real_i) ]
 * </pre>
 *
 * <p>Boundaries are strict ({@code <}), as in the authors' {@code prdc} code. Density is unbounded above: about 1
 * when fakes are distributed like the reals, above 1 when they crowd dense real regions, below 1 when they stray.
 * Coverage lies in {@code [0, 1]}, higher is better. Time {@code O(N (N + M) d)}, memory {@code O(N)}.
 *
 * @param density the expected number of real balls containing a fake sample, divided by {@code k}
 * @param coverage the fraction of real balls that contain at least one fake sample
 * @param k the neighbour rank used for the radii
 */
public record DensityCoverage(double density, double coverage, int k) {

    /** Default neighbour rank, as recommended by Naeem et al. */
    public static final int DEFAULT_K = 5;

    /**
     * Computes density and coverage with the default {@code k} = {@value #DEFAULT_K}.
     *
     * @param real real features, one sample per row, more than {@code k} rows
     * @param fake generated features, same dimension, at least one row
     * @return density and coverage
     */
    public static DensityCoverage compute(double[][] real, double[][] fake) {
        return compute(real, fake, DEFAULT_K);
    }

    /**
     * Computes density and coverage with the given neighbour rank.
     *
     * @param real real features, one sample per row, more than {@code k} rows
     * @param fake generated features, same dimension, at least one row
     * @param k the neighbour rank, at least 1
     * @return density and coverage
     */
    public static DensityCoverage compute(double[][] real, double[][] fake, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k is " + k + "; expected at least 1");
        }
        Checks.sameDimension("real", Checks.matrix("real", real, k + 1), "fake", Checks.matrix("fake", fake, 1));
        double[] radii = NearestNeighbours.kthNeighbourSquaredDistances(real, k);
        // One pass per real ball: how many fakes fall inside it (density) and whether any does (coverage).
        long[] insideCounts = new long[real.length];
        NearestNeighbours.rows(real.length, (long) real.length * fake.length).forEach(i -> {
            long inside = 0;
            for (double[] sample : fake) {
                if (Checks.squaredDistance(real[i], sample) < radii[i]) {
                    inside++;
                }
            }
            insideCounts[i] = inside;
        });
        long total = 0;
        long covered = 0;
        for (long inside : insideCounts) {
            total += inside;
            covered += inside > 0 ? 1 : 0;
        }
        return new DensityCoverage((double) total / ((double) k * fake.length), (double) covered / real.length, k);
    }
}
