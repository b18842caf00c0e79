package org.gan4j.evaluation;

import java.util.Arrays;

/**
 * Mode-collapse statistics for a Gaussian-mixture toy (2-D ring, 2-D grid), as defined by Srivastava et al.,
 * "VEEGAN: Reducing Mode Collapse in GANs using Implicit Variational Learning" (NeurIPS 2017) and used by Lin et
 * al., "PacGAN: The power of two samples in generative adversarial networks" (NeurIPS 2018).
 *
 * <p>All mixture components share an isotropic standard deviation {@code std}. Each sample is assigned to its
 * nearest centre (Euclidean; ties go to the lower index):
 *
 * <ul>
 *   <li>a sample is <b>high-quality</b> if its distance to that centre is strictly less than {@code 3·std}
 *       (PacGAN's reference code, {@code dis < dis_thre} with distances in units of the standard deviation);
 *   <li>{@code countsPerMode[k]} is the number of high-quality samples assigned to centre {@code k};
 *   <li>a mode is <b>captured</b> if {@code countsPerMode[k] ≥ 1};
 *   <li>{@code highQualityFraction} is the number of high-quality samples divided by all samples;
 *   <li>{@code reverseKl = KL(p̂ ‖ uniform) = Σ_{k: p̂_k > 0} p̂_k log(p̂_k K)} in nats, where {@code K} is the
 *       number of modes and {@code p̂_k = countsPerMode[k] / Σ countsPerMode} is the distribution of the
 *       <i>high-quality</i> samples over modes (low-quality samples are left out, as in PacGAN's code). It is NaN
 *       when there is no high-quality sample.
 * </ul>
 *
 * <p>Good: all {@code K} modes captured, high-quality fraction near the real data's (about 0.99 for 2-D Gaussians
 * within 3σ), reverse KL near 0 (its maximum, all high-quality samples in one mode, is {@code log K}).
 *
 * @param modesCaptured the number of modes with at least one high-quality sample
 * @param highQualityFraction the fraction of samples within {@code 3·std} of their nearest centre
 * @param reverseKl {@code KL(p̂ ‖ uniform)} over modes, in nats; NaN if no sample is high-quality
 * @param countsPerMode the number of high-quality samples per mode, indexed like the centres
 */
public record MixtureModes(int modesCaptured, double highQualityFraction, double reverseKl, long[] countsPerMode) {

    /** Distance, in standard deviations, within which a sample is high-quality. */
    public static final double HIGH_QUALITY_STDS = 3.0;

    /**
     * Copies the counts so that the record is immutable.
     *
     * @param modesCaptured the number of captured modes
     * @param highQualityFraction the fraction of high-quality samples
     * @param reverseKl the reverse KL divergence
     * @param countsPerMode the high-quality counts per mode
     */
    public MixtureModes {
        countsPerMode = countsPerMode.clone();
    }

    /**
     * Evaluates generated samples against the mixture centres.
     *
     * @param samples generated points, one per row, at least one
     * @param centres the mixture means, one per row, same dimension, at least one
     * @param std the shared standard deviation of each component, positive
     * @return the mode statistics
     */
    public static MixtureModes evaluate(double[][] samples, double[][] centres, double std) {
        int dimension = Checks.matrix("samples", samples, 1);
        Checks.sameDimension("samples", dimension, "centres", Checks.matrix("centres", centres, 1));
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("std is " + std + "; expected a positive finite value");
        }
        double threshold = HIGH_QUALITY_STDS * std;
        double squaredThreshold = threshold * threshold;
        int modes = centres.length;
        long[] counts = new long[modes];
        for (double[] sample : samples) {
            int nearest = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < modes; k++) {
                double distance = Checks.squaredDistance(sample, centres[k]);
                if (distance < best) {
                    best = distance;
                    nearest = k;
                }
            }
            if (best < squaredThreshold) {
                counts[nearest]++;
            }
        }
        long highQuality = Arrays.stream(counts).sum();
        int captured = (int) Arrays.stream(counts).filter(count -> count > 0).count();
        double reverseKl = Double.NaN;
        if (highQuality > 0) {
            reverseKl = 0;
            for (long count : counts) {
                if (count > 0) {
                    double p = (double) count / highQuality;
                    reverseKl += p * Math.log(p * modes);
                }
            }
        }
        return new MixtureModes(captured, (double) highQuality / samples.length, reverseKl, counts);
    }

    /**
     * Returns the high-quality sample count of each mode.
     *
     * @return a copy of the counts
     */
    @Override
    public long[] countsPerMode() {
        return countsPerMode.clone();
    }

    /**
     * Compares all components, the counts element by element.
     *
     * @param other the object to compare with
     * @return whether both hold the same numbers
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof MixtureModes that
                && modesCaptured == that.modesCaptured
                && Double.compare(highQualityFraction, that.highQualityFraction) == 0
                && Double.compare(reverseKl, that.reverseKl) == 0
                && Arrays.equals(countsPerMode, that.countsPerMode);
    }

    /**
     * Hashes all components.
     *
     * @return a hash consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        int hash = Integer.hashCode(modesCaptured);
        hash = hash * 31 + Double.hashCode(highQualityFraction);
        hash = hash * 31 + Double.hashCode(reverseKl);
        return hash * 31 + Arrays.hashCode(countsPerMode);
    }

    /**
     * Describes the result.
     *
     * @return all components, counts included
     */
    @Override
    public String toString() {
        return "MixtureModes[modesCaptured=" + modesCaptured + ", highQualityFraction=" + highQualityFraction
                + ", reverseKl=" + reverseKl + ", countsPerMode=" + Arrays.toString(countsPerMode) + "]";
    }
}
