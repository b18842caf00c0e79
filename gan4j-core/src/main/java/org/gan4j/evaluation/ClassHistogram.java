package org.gan4j.evaluation;

import java.util.Arrays;

/**
 * Histogram of the classes a classifier assigns to generated samples, the mode count of Stacked-MNIST style
 * experiments (Metz et al., "Unrolled Generative Adversarial Networks", ICLR 2017; Lin et al., PacGAN, NeurIPS
 * 2018).
 *
 * <p>With counts {@code c_k} over {@code K} classes and {@code N} samples, the generated distribution is
 * {@code q_k = c_k / N} and:
 *
 * <ul>
 *   <li>{@code classesCovered = #{k : c_k > 0}} (the "modes captured"; higher is better, at most {@code K});
 *   <li>{@code klToReal = KL(q ‖ p) = Σ_{k: q_k > 0} q_k log(q_k / p'_k)} in nats, where {@code p} is the real
 *       class distribution (uniform if not given) smoothed as {@code p'_k = (p_k + ε) / (1 + K ε)} with
 *       {@code ε = }{@value #SMOOTHING}, so that a generated class the real data never shows costs a large but
 *       finite {@code q_k log(q_k / p'_k)} instead of infinity. {@code q} itself needs no smoothing because
 *       {@code 0 log 0 = 0}. Lower is better, 0 when the histogram matches;
 *   <li>{@code entropy = −Σ_k q_k log q_k} in nats (at most {@code log K}, reached by a uniform histogram).
 * </ul>
 *
 * @param counts the number of samples predicted as each class
 * @param classesCovered the number of classes with at least one sample
 * @param klToReal {@code KL(generated ‖ real)} with the smoothing above, in nats
 * @param entropy the entropy of the generated class distribution, in nats
 */
public record ClassHistogram(long[] counts, int classesCovered, double klToReal, double entropy) {

    /** Additive smoothing {@code ε} applied to the real distribution before taking the KL divergence. */
    public static final double SMOOTHING = 1e-6;

    /** How far the real distribution may sum from 1; it is renormalised afterwards. */
    private static final double SUM_TOLERANCE = 1e-6;

    /**
     * Copies the counts so that the record is immutable.
     *
     * @param counts the per-class counts
     * @param classesCovered the number of covered classes
     * @param klToReal the KL divergence to the real distribution
     * @param entropy the entropy
     */
    public ClassHistogram {
        counts = counts.clone();
    }

    /**
     * Builds the histogram of predicted classes and compares it with the real class distribution.
     *
     * @param predictedClasses the predicted class of each generated sample, each in {@code [0, classCount)}; at
     *     least one
     * @param classCount the number of classes {@code K}, at least 1
     * @param realClassDistribution the real class probabilities (length {@code K}, non-negative, summing to 1), or
     *     null for uniform
     * @return the histogram and its statistics
     */
    public static ClassHistogram of(int[] predictedClasses, int classCount, double[] realClassDistribution) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + "; expected at least 1");
        }
        if (predictedClasses == null || predictedClasses.length == 0) {
            throw new IllegalArgumentException("predictedClasses is empty; expected at least one sample");
        }
        double[] real = realDistribution(realClassDistribution, classCount);
        long[] counts = new long[classCount];
        for (int i = 0; i < predictedClasses.length; i++) {
            int predicted = predictedClasses[i];
            if (predicted < 0 || predicted >= classCount) {
                throw new IllegalArgumentException("predictedClasses[" + i + "] is " + predicted + "; expected 0 to "
                        + (classCount - 1));
            }
            counts[predicted]++;
        }
        double n = predictedClasses.length;
        int covered = 0;
        double kl = 0;
        double entropy = 0;
        for (int k = 0; k < classCount; k++) {
            if (counts[k] == 0) {
                continue;
            }
            covered++;
            double q = counts[k] / n;
            double smoothed = (real[k] + SMOOTHING) / (1 + classCount * SMOOTHING);
            kl += q * Math.log(q / smoothed);
            entropy -= q * Math.log(q);
        }
        return new ClassHistogram(counts, covered, kl, entropy);
    }

    /**
     * Returns the number of samples predicted as each class.
     *
     * @return a copy of the counts
     */
    @Override
    public long[] counts() {
        return counts.clone();
    }

    /**
     * Compares all components, the counts element by element.
     *
     * @param other the object to compare with
     * @return whether both hold the same numbers
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClassHistogram that
                && Arrays.equals(counts, that.counts)
                && classesCovered == that.classesCovered
                && Double.compare(klToReal, that.klToReal) == 0
                && Double.compare(entropy, that.entropy) == 0;
    }

    /**
     * Hashes all components.
     *
     * @return a hash consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        int hash = Arrays.hashCode(counts);
        hash = hash * 31 + classesCovered;
        hash = hash * 31 + Double.hashCode(klToReal);
        return hash * 31 + Double.hashCode(entropy);
    }

    /**
     * Describes the histogram.
     *
     * @return all components
     */
    @Override
    public String toString() {
        return "ClassHistogram[counts=" + Arrays.toString(counts) + ", classesCovered=" + classesCovered
                + ", klToReal=" + klToReal + ", entropy=" + entropy + "]";
    }

    private static double[] realDistribution(double[] given, int classCount) {
        if (given == null) {
            double[] uniform = new double[classCount];
            Arrays.fill(uniform, 1.0 / classCount);
            return uniform;
        }
        if (Checks.vector("realClassDistribution", given) != classCount) {
            throw new IllegalArgumentException("realClassDistribution has " + given.length + " entries; expected "
                    + classCount);
        }
        double sum = 0;
        for (int k = 0; k < classCount; k++) {
            if (given[k] < 0) {
                throw new IllegalArgumentException("realClassDistribution[" + k + "] is " + given[k]
                        + "; expected a probability");
            }
            sum += given[k];
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException("realClassDistribution sums to " + sum + "; expected 1");
        }
        double[] normalised = new double[classCount];
        for (int k = 0; k < classCount; k++) {
            normalised[k] = given[k] / sum;
        }
        return normalised;
    }
}
