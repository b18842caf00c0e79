package org.gan4j.evaluation;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.gan4j.Cancellation;

/**
 * Kernel distance between feature sets: with Inception features this is the KID of Bińkowski et al.,
 * "Demystifying MMD GANs" (ICLR 2018).
 *
 * <p>It is the unbiased estimator of the squared maximum mean discrepancy with the cubic polynomial kernel
 * {@code k(x, y) = (xᵀy / d + 1)³}, where {@code d} is the feature dimension. For a subset {@code X} of {@code m}
 * real and {@code Y} of {@code m} fake features:
 *
 * <pre>
 *   MMD²_u = 1/(m(m−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/m² Σ_{i,j} k(x_i, y_j)
 * </pre>
 *
 * <p>The estimate is averaged over {@code subsets} random subsets, each drawn without replacement from the real and
 * from the fake features independently. Unlike FID it is unbiased, so it can be slightly negative for matching
 * distributions; 0 is best. The standard error is the sample standard deviation of the subset values
 * (denominator {@code subsets − 1}) divided by {@code √subsets}: the Monte Carlo error of averaging random subsets
 * rather than all of them, not the sampling noise of the features themselves. It is NaN for a single subset, and a
 * single subset is all that is computed when the subset size is both row counts (every subset would be the same).
 *
 * @param mean the mean MMD² over the subsets (the KID)
 * @param standardError the standard error of that mean
 * @param subsetValues the MMD² of each subset, in drawing order
 */
public record KernelInceptionDistance(double mean, double standardError, double[] subsetValues) {

    /** Default number of subsets, as in the authors' code. */
    public static final int DEFAULT_SUBSETS = 100;

    /** Default subset size, as in the authors' code (capped by the number of samples). */
    public static final int DEFAULT_SUBSET_SIZE = 1000;

    /**
     * Copies the subset values so that the record is immutable.
     *
     * @param mean the mean MMD²
     * @param standardError its standard error
     * @param subsetValues the per-subset values
     */
    public KernelInceptionDistance {
        subsetValues = subsetValues.clone();
    }

    /**
     * Computes the KID with the defaults: {@value #DEFAULT_SUBSETS} subsets of
     * {@code min(}{@value #DEFAULT_SUBSET_SIZE}{@code , real rows, fake rows)} samples.
     *
     * @param real real features, one sample per row, at least two rows
     * @param fake generated features, same dimension, at least two rows
     * @param seed seed of the subset sampling
     * @return the KID and its standard error
     */
    public static KernelInceptionDistance compute(double[][] real, double[][] fake, long seed) {
        int size = Math.min(DEFAULT_SUBSET_SIZE, Math.min(real.length, fake.length));
        return compute(real, fake, DEFAULT_SUBSETS, size, seed);
    }

    /**
     * Computes the KID over random subsets.
     *
     * @param real real features, one sample per row
     * @param fake generated features, same dimension
     * @param subsets the number of subsets, at least 1
     * @param subsetSize samples per subset from each set, at least 2 and at most the smaller row count
     * @param seed seed of the subset sampling; the same seed gives the same result
     * @return the KID, its standard error and the per-subset values
     */
    public static KernelInceptionDistance compute(
            double[][] real, double[][] fake, int subsets, int subsetSize, long seed) {
        int dimension = Checks.matrix("real", real, 2);
        Checks.sameDimension("real", dimension, "fake", Checks.matrix("fake", fake, 2));
        if (subsets < 1) {
            throw new IllegalArgumentException("subsets is " + subsets + "; expected at least 1");
        }
        int available = Math.min(real.length, fake.length);
        if (subsetSize < 2 || subsetSize > available) {
            throw new IllegalArgumentException("subsetSize is " + subsetSize + "; expected 2 to " + available
                    + " (the smaller of the real and fake sample counts)");
        }
        if (subsetSize == real.length && subsetSize == fake.length) {
            // every subset would be the whole of both sets: one is computed, and there is no subset error to report
            subsets = 1;
        }
        // Draw all subsets up front on one generator so the result does not depend on threads.
        Random random = new Random(seed);
        int[][] realSubsets = new int[subsets][];
        int[][] fakeSubsets = new int[subsets][];
        for (int s = 0; s < subsets; s++) {
            realSubsets[s] = sampleWithoutReplacement(real.length, subsetSize, random);
            fakeSubsets[s] = sampleWithoutReplacement(fake.length, subsetSize, random);
        }
        double[] values = new double[subsets];
        IntStream indices = IntStream.range(0, subsets);
        if ((long) subsets * subsetSize * subsetSize * dimension >= 1L << 20) {
            indices = indices.parallel();
        }
        Runnable check = Cancellation.checker(); // taken here: the parallel stream's workers have no condition
        indices.forEach(s -> {
            check.run();
            values[s] = unbiasedMmdSquared(real, realSubsets[s], fake, fakeSubsets[s], dimension);
        });
        double mean = Arrays.stream(values).sum() / subsets;
        double standardError = Double.NaN;
        if (subsets > 1) {
            double squares = 0;
            for (double value : values) {
                squares += (value - mean) * (value - mean);
            }
            standardError = Math.sqrt(squares / (subsets - 1)) / Math.sqrt(subsets);
        }
        return new KernelInceptionDistance(mean, standardError, values);
    }

    /**
     * Returns the per-subset MMD² values.
     *
     * @return a copy of the values
     */
    @Override
    public double[] subsetValues() {
        return subsetValues.clone();
    }

    /**
     * Compares all components, the subset values element by element.
     *
     * @param other the object to compare with
     * @return whether both hold the same numbers
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof KernelInceptionDistance that
                && Double.compare(mean, that.mean) == 0
                && Double.compare(standardError, that.standardError) == 0
                && Arrays.equals(subsetValues, that.subsetValues);
    }

    /**
     * Hashes all components.
     *
     * @return a hash consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        return (Double.hashCode(mean) * 31 + Double.hashCode(standardError)) * 31 + Arrays.hashCode(subsetValues);
    }

    /**
     * Describes the result.
     *
     * @return mean, standard error and the number of subsets
     */
    @Override
    public String toString() {
        return "KernelInceptionDistance[mean=" + mean + ", standardError=" + standardError + ", subsets="
                + subsetValues.length + "]";
    }

    /**
     * The cubic polynomial kernel {@code (xᵀy / d + 1)³}.
     *
     * @param x a feature vector
     * @param y a feature vector of the same length
     * @return the kernel value
     */
    public static double kernel(double[] x, double[] y) {
        double dot = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
        }
        double base = dot / x.length + 1;
        return base * base * base;
    }

    private static double unbiasedMmdSquared(
            double[][] real, int[] realIndices, double[][] fake, int[] fakeIndices, int dimension) {
        int m = realIndices.length;
        double realSum = 0;
        double fakeSum = 0;
        double crossSum = 0;
        for (int i = 0; i < m; i++) {
            double[] x = real[realIndices[i]];
            double[] y = fake[fakeIndices[i]];
            for (int j = i + 1; j < m; j++) {
                realSum += kernel(x, real[realIndices[j]]);
                fakeSum += kernel(y, fake[fakeIndices[j]]);
            }
            for (int j = 0; j < m; j++) {
                crossSum += kernel(x, fake[fakeIndices[j]]);
            }
        }
        // The i<j sums count each unordered pair once; the estimator sums ordered pairs i≠j.
        return 2 * (realSum + fakeSum) / ((double) m * (m - 1)) - 2 * crossSum / ((double) m * m);
    }

    /** Partial Fisher–Yates shuffle: {@code size} distinct indices from {@code [0, n)}. */
    private static int[] sampleWithoutReplacement(int n, int size, Random random) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(n - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        return Arrays.copyOf(indices, size);
    }
}
